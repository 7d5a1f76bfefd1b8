import { Collection, type CollectionSpec, type ReadableCollection, type StoreTable, type WritableCollection, type WriteRecorder } from './collection.js';
import { FinalSnapshotError, StoreClosedError, StoreWriteError } from './errors.js';
import { describeError } from './fs-util.js';
import { LogCollection, type LogSpec, type PendingAppends, type ReadableLog, type WritableLog } from './log-collection.js';
import type { JournalEntry, JournalOp, Persistence, SnapshotSource } from './persistence.js';

// `never` records: any record type's spec is assignable (its functions accept a wider argument).
type AnySpec = CollectionSpec<never, string, string> | LogSpec<never>;
export type Schema = Readonly<Record<string, AnySpec>>;

/** The collections of a schema, writable: what a transaction sees. */
export type Tables<S extends Schema> = {
  readonly [K in keyof S]: S[K] extends LogSpec<infer T>
    ? WritableLog<T>
    : S[K] extends CollectionSpec<infer T, infer I, infer O>
      ? WritableCollection<T, I, O>
      : never;
};

/** The names of a schema's logs. */
export type LogName<S extends Schema> = { [K in keyof S]: S[K] extends LogSpec<infer _T> ? K : never }[keyof S];

/** The record type of a collection spec. */
export type RecordOf<C> = C extends LogSpec<infer T> ? T : C extends CollectionSpec<infer T, infer _I, infer _O> ? T : never;

/** Every collection of a schema as an array of its records. */
export type Dump<S extends Schema> = { [K in keyof S]: RecordOf<S[K]>[] };

/** The collections of a schema, read-only. */
export type ReadTables<S extends Schema> = {
  readonly [K in keyof S]: S[K] extends LogSpec<infer T>
    ? ReadableLog<T>
    : S[K] extends CollectionSpec<infer T, infer I, infer O>
      ? ReadableCollection<T, I, O>
      : never;
};

interface Write {
  collection: string;
  key: string;
  before: unknown;
  after: unknown;
  /** The record's place in its collection before the write, so an undo puts it back there. */
  place: number | undefined;
}

interface Committed {
  seq: number;
  writes: Write[];
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Runs `callback` once after `ms` of real time, without keeping the process alive; the answer cancels it. */
export type Schedule = (callback: () => void, ms: number) => () => void;

const realTimer: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** A compaction the store started by itself that failed is tried again after this, doubling up to the cap. */
export const COMPACTION_RETRY_FIRST_MS = 1000;
export const COMPACTION_RETRY_MAX_MS = 30_000;

export interface StoreOptions {
  /** Called with errors nobody awaits (a background compaction that failed). */
  onBackgroundError?: (error: unknown, what: string) => void;
  /** Timer for compaction retries; real time by default (not the emulated clock, which may stand still). */
  schedule?: Schedule;
}

/**
 * The state in memory, its indexes, and the only way to change it.
 *
 * A transaction runs synchronously against the live collections, so a check
 * and the change it guards can never interleave with another request (this is
 * what keeps "at most 2 SCIM keys per zone" true under concurrency). If it
 * throws, its writes are undone exactly. Its promise resolves once its journal
 * line is durable; transactions that commit while an append is in flight share
 * the next append (group commit).
 */
export class Store<S extends Schema> implements WriteRecorder {
  /** Read-only view of every collection, always current. */
  readonly view: ReadTables<S>;
  private readonly tables: Tables<S>;
  private readonly byName = new Map<string, StoreTable<unknown>>();
  private active: Write[] | null = null;
  private seq: number;
  private durableSeq: number;
  /** Committed, not yet handed to the backend. */
  private unflushed: Committed[] = [];
  /** Handed to the backend, not yet durable. */
  private inflight: Committed[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private flushScheduled = false;
  /** Serialises appends and rotations. */
  private io: Promise<void> = Promise.resolve();
  private compaction: Promise<boolean> | null = null;
  /** Bumped whenever committed changes are undone, so a snapshot taken before knows it is stale. */
  private rollbacks = 0;
  /** Sequence number the newest snapshot holds. */
  private snapshotSeq: number;
  /** Appends started, and how many of them the newest snapshot made redundant (those before its rotation). */
  private appends = 0;
  private snapshotAppends = 0;
  private closing = false;
  private closed: Promise<void> | null = null;
  /** Cancels the pending retry of a failed compaction; null when none is pending. */
  private cancelRetry: (() => void) | null = null;
  private retryDelayMs = COMPACTION_RETRY_FIRST_MS;
  private readonly schedule: Schedule;
  /**
   * Keys changed by lazy transactions and not journaled since, by collection,
   * each with whether it may exist in the journal or snapshot already. Kept as
   * keys, not as transactions: a read-only load (SCIM look-ups, each recording
   * its key's use) would otherwise pile up every transaction, with the records
   * it replaced, until the next durable write. The next append journals the
   * current value of each key once.
   */
  private lazyKeys = new Map<string, Map<string, boolean>>();
  /** Someone waits for the lazy changes themselves (a transaction that read them, or close): append them even alone. */
  private lazyDue = false;
  /** Logs fed by pending appends, each with a call that brings them in. */
  private readonly feeds: (() => void)[] = [];
  /** A feed is running: the log reads and writes it makes must not start another. */
  private feeding = false;

  constructor(
    readonly schema: S,
    readonly schemaVersion: number,
    private readonly persistence: Persistence,
    journalSeq: number,
    private readonly options: StoreOptions = {},
  ) {
    const tables: Record<string, StoreTable<unknown>> = {};
    for (const [name, spec] of Object.entries(schema)) {
      const collection: StoreTable<unknown> =
        'kind' in spec && spec.kind === 'log'
          ? new LogCollection<unknown>(name, spec as LogSpec<unknown>, this)
          : new Collection<unknown, string, string>(name, spec as CollectionSpec<unknown, string, string>, this);
      tables[name] = collection;
      this.byName.set(name, collection);
    }
    this.tables = tables as unknown as Tables<S>;
    this.view = tables as unknown as ReadTables<S>;
    this.seq = journalSeq;
    this.durableSeq = journalSeq;
    this.snapshotSeq = journalSeq;
    this.schedule = options.schedule ?? realTimer;
  }

  /** Where the state lives, for start-up messages. */
  get location(): string {
    return this.persistence.description;
  }

  /** Sequence number of the last committed change. */
  get lastSeq(): number {
    return this.seq;
  }

  read<T>(fn: (view: ReadTables<S>) => T): T {
    return fn(this.view);
  }

  /**
   * Runs `fn` as one transaction; resolves with its result once the change is
   * durable. A transaction that changes nothing still waits for the changes it
   * may have read, so it never reports what a failed write later undoes.
   */
  transact<T>(fn: (tables: Tables<S>) => T): Promise<T> {
    if (this.closing) return Promise.reject(new StoreClosedError());
    // Before it, not inside it: what waits must not be undone with a transaction that throws.
    this.feedLogs();
    let result: T;
    try {
      result = this.run(fn);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.waitAllDurable().then(() => result);
  }

  /**
   * Runs `fn` as one transaction that is saved with the next durable write,
   * compaction or shutdown rather than on its own: for bookkeeping such as a
   * key's last use, which a read must be able to record without a disk write.
   * A crash can lose it; nothing else.
   */
  transactLazily<T>(fn: (tables: Tables<S>) => T): T {
    if (this.closing) throw new StoreClosedError();
    this.feedLogs();
    const { result, writes } = this.execute(fn);
    for (const write of writes) {
      let keys = this.lazyKeys.get(write.collection);
      if (!keys) this.lazyKeys.set(write.collection, (keys = new Map()));
      const known = keys.get(write.key);
      if (known === undefined) keys.set(write.key, write.before !== undefined);
      // Made and removed again since the last append, and never journaled: nothing to write about it.
      else if (!known && write.after === undefined) {
        keys.delete(write.key);
        if (keys.size === 0) this.lazyKeys.delete(write.collection);
      }
    }
    return result;
  }

  /**
   * Feeds the log `name` from `source`. What waits there joins the log, as a
   * lazy change, before anyone reads or writes the log and before the next
   * journal append, compaction or shutdown: it is saved exactly as if each
   * entry had been appended lazily when recorded, and a crash loses what a
   * lazy change would lose. Every transaction takes it in before it starts,
   * so a transaction that throws never undoes it. After shutdown began it
   * joins the state in memory only.
   */
  feedLog<K extends LogName<S>>(name: K, source: PendingAppends<RecordOf<S[K]>>): void {
    const log = this.collection(name as string);
    if (!(log instanceof LogCollection)) throw new Error(`${String(name)} is not a log`);
    const target = log as LogCollection<RecordOf<S[K]>>;
    const feed = () => {
      if (!source.pending || this.feeding) return;
      this.feeding = true;
      try {
        if (this.active !== null) source.drainInto(target);
        else if (this.closing) this.execute(() => source.drainInto(target));
        else this.transactLazily(() => source.drainInto(target));
      } finally {
        this.feeding = false;
      }
    };
    target.feedFrom(feed); // throws for a log that is fed already
    this.feeds.push(feed);
  }

  /** Loads records without journaling them (start-up). */
  load(collection: string, records: readonly unknown[]): void {
    const target = this.collection(collection);
    for (const record of records) target.restore(target.keyOf(record), record);
  }

  /** The snapshot on disk is older than the state (start-up found journal entries, or an older format). */
  markSnapshotStale(): void {
    this.snapshotSeq = -1;
  }

  /** Re-applies journal entries after the snapshot they follow (start-up). */
  replay(entries: readonly JournalEntry[]): void {
    for (const entry of entries) {
      for (const op of entry.ops) {
        const target = this.collection(op.c);
        if ('del' in op) target.restore(op.del, undefined);
        else target.restore(target.keyOf(op.put), op.put);
      }
      this.seq = entry.seq;
    }
    this.durableSeq = this.seq;
  }

  /**
   * Writes a snapshot of the current state and starts a new journal, while
   * requests go on: the records are immutable, so capturing them is copying
   * references, and serialising them happens in slices between requests.
   * A change that commits meanwhile lands in the new journal. Resolves true
   * when the snapshot took effect.
   */
  compact(): Promise<boolean> {
    if (this.compaction) return this.compaction;
    this.compaction = this.runCompaction().finally(() => {
      this.compaction = null;
    });
    return this.compaction;
  }

  /**
   * Flushes everything, leaves a compacted snapshot, and refuses further
   * writes. Idempotent. When the final snapshot cannot be written the files
   * are still released, and it rejects with FinalSnapshotError: the journal
   * holds every acknowledged change.
   */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.feedLogs();
    this.closing = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.closed = (async () => {
      await this.waitAllDurable().catch(() => undefined);
      await this.compaction?.catch(() => undefined);
      let failure: unknown = null;
      // Also when the snapshot holds every change: lines appended after its rotation are still in a segment.
      if (this.seq !== this.snapshotSeq || this.appends !== this.snapshotAppends) {
        failure = await this.compact().then(
          (done) => (done ? null : new Error('a change it held was undone while it was written')),
          (error: unknown) => error,
        );
      }
      await this.persistence.close();
      if (failure !== null) throw new FinalSnapshotError(this.persistence.description, failure);
    })();
    return this.closed;
  }

  /** Every record, collection by collection, in insertion order (for inspection and tests). */
  dump(): Dump<S> {
    const out: Record<string, unknown[]> = {};
    for (const [name, collection] of this.byName) out[name] = Array.from(collection.scan());
    return out as Dump<S>;
  }

  /**
   * Makes the state exactly `source` in one transaction (a reset, a loaded
   * state); resolves once durable.
   */
  replace(source: SnapshotSource): Promise<void> {
    return this.transact(() => {
      for (const collection of this.byName.values()) {
        for (const key of Array.from(collection.scan(), (r) => collection.keyOf(r))) collection.delete(key);
      }
      for (const [name, records] of source.collections) {
        const collection = this.collection(name);
        for (const record of records) collection.put(record);
      }
    });
  }

  /** The collections as they are now, for a snapshot: arrays of references to immutable records. */
  capture(): SnapshotSource {
    return {
      schemaVersion: this.schemaVersion,
      journalSeq: this.seq,
      collections: [...this.byName].map(([name, collection]) => [name, Array.from(collection.scan())] as const),
    };
  }

  recordWrite(collection: string, key: string, before: unknown, after: unknown, place: number | undefined): void {
    if (this.active === null) throw new Error(`write to ${collection} outside a transaction`);
    this.active.push({ collection, key, before, after, place });
  }

  private feedLogs(): void {
    for (const feed of this.feeds) feed();
  }

  private collection(name: string): StoreTable<unknown> {
    const found = this.byName.get(name);
    if (!found) throw new Error(`no collection ${name}`);
    return found;
  }

  private run<T>(fn: (tables: Tables<S>) => T): T {
    const { result, writes } = this.execute(fn);
    if (writes.length > 0) {
      this.seq += 1;
      this.unflushed.push({ seq: this.seq, writes });
      // A key a lazy change made is journaled now: removing it later must be journaled too.
      for (const write of writes) {
        const keys = this.lazyKeys.get(write.collection);
        if (keys?.has(write.key)) keys.set(write.key, true);
      }
    }
    return result;
  }

  private execute<T>(fn: (tables: Tables<S>) => T): { result: T; writes: Write[] } {
    if (this.active !== null) throw new Error('transactions do not nest');
    const writes: Write[] = [];
    this.active = writes;
    let result: T;
    try {
      result = fn(this.tables);
    } catch (error) {
      this.undo([writes]);
      throw error;
    } finally {
      this.active = null;
    }
    return { result, writes };
  }

  /**
   * The lazy changes as one journal entry after `this.seq` (the current value
   * of each key they touched), or null when there are none. The keys leave
   * the pending set; `restoreLazy` puts them back if the append fails.
   */
  private takeLazy(): { entry: JournalEntry; keys: Map<string, Map<string, boolean>> } | null {
    if (this.lazyKeys.size === 0) return null;
    const keys = this.lazyKeys;
    this.lazyKeys = new Map();
    const ops: JournalOp[] = [];
    for (const [name, changed] of keys) {
      const collection = this.collection(name);
      for (const key of changed.keys()) {
        const record = collection.get(key);
        ops.push(record === undefined ? { c: name, del: key } : { c: name, put: record });
      }
    }
    if (ops.length === 0) return null;
    this.seq += 1;
    return { entry: { seq: this.seq, ops }, keys };
  }

  private restoreLazy(keys: Map<string, Map<string, boolean>>): void {
    for (const [name, changed] of keys) {
      let pending = this.lazyKeys.get(name);
      if (!pending) this.lazyKeys.set(name, (pending = new Map()));
      // Either may say the key reached the journal: then so it may have.
      for (const [key, known] of changed) pending.set(key, (pending.get(key) ?? false) || known);
    }
  }

  /** Takes back transactions (given oldest first), newest write first, leaving every collection exactly as before them. */
  private undo(transactions: readonly (readonly Write[])[]): void {
    const touched = new Set<StoreTable<unknown>>();
    for (let t = transactions.length - 1; t >= 0; t--) {
      const writes = transactions[t]!;
      for (let i = writes.length - 1; i >= 0; i--) {
        const write = writes[i]!;
        const collection = this.collection(write.collection);
        collection.undo(write.key, write.before, write.place);
        touched.add(collection);
      }
    }
    for (const collection of touched) collection.settle();
  }

  /**
   * Waits until everything committed so far is durable, lazy changes
   * included: they are journaled after this.seq, as the next entry.
   */
  private waitAllDurable(): Promise<void> {
    if (this.lazyKeys.size === 0) return this.waitDurable(this.seq);
    this.lazyDue = true;
    return this.waitDurable(this.seq + 1);
  }

  private waitDurable(seq: number): Promise<void> {
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: requests already read from their sockets join this append.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.unflushed.length > 0 || (this.lazyDue && this.lazyKeys.size > 0)) {
        // What logs hold pending rides along with this append, as the lazy change it stands for.
        this.feedLogs();
        const batch = this.unflushed;
        this.unflushed = [];
        this.inflight = batch;
        // Lazy changes ride along, after every transaction committed so far.
        const lazy = this.takeLazy();
        this.lazyDue = false;
        const text = batch.map(journalLine).join('') + (lazy ? `${JSON.stringify(lazy.entry)}\n` : '');
        try {
          await this.exclusive(() => {
            this.appends += 1;
            return this.persistence.append(text);
          });
        } catch (error) {
          // Still in memory: journaled with the next append.
          if (lazy) this.restoreLazy(lazy.keys);
          this.rollBack(error);
          continue;
        }
        this.inflight = [];
        this.durableSeq = lazy ? lazy.entry.seq : (batch[batch.length - 1]?.seq ?? this.durableSeq);
        this.settleWaiters();
        this.compactIfDue();
      }
    } finally {
      this.flushing = false;
    }
  }

  private settleWaiters(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.seq <= this.durableSeq) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  /**
   * The append failed: nothing in it, nor anything committed after it, was
   * acknowledged. Undo all of it in memory, newest first, and fail its waiters.
   */
  private rollBack(cause: unknown): void {
    const doomed = [...this.inflight, ...this.unflushed];
    this.inflight = [];
    this.unflushed = [];
    this.undo(doomed.map((committed) => committed.writes));
    this.seq = this.durableSeq;
    this.rollbacks += 1;
    const error = new StoreWriteError(`the change could not be written to ${this.persistence.description}: ${describeError(cause)}`, cause);
    const failed = this.waiters;
    this.waiters = [];
    for (const waiter of failed) waiter.reject(error);
  }

  /**
   * Starts a compaction when the journal asks for one. One that fails (a full
   * disk) is not tried again on the next append but after a delay that
   * doubles, so a disk that stays full is not hammered with snapshots.
   */
  private compactIfDue(): void {
    if (this.compaction || this.closing || this.cancelRetry || !this.persistence.wantsCompaction()) return;
    this.compact().then(
      (done) => {
        if (!done) this.retryCompactionLater();
      },
      (error: unknown) => {
        this.options.onBackgroundError?.(error, 'compaction');
        this.retryCompactionLater();
      },
    );
  }

  private retryCompactionLater(): void {
    if (this.closing || this.cancelRetry) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, COMPACTION_RETRY_MAX_MS);
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = null;
      this.compactIfDue();
    }, delay);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.io.then(fn);
    this.io = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async runCompaction(): Promise<boolean> {
    let appendsBefore = 0;
    await this.exclusive(async () => {
      await this.persistence.rotate();
      appendsBefore = this.appends;
    });
    const source = this.capture();
    const generation = this.rollbacks;
    const done = await this.persistence.writeSnapshot(source, async () => {
      // The snapshot may hold changes whose journal lines are still on their way: it must not outlive them.
      // Undone already: do not wait, the sequence number may never be reached again.
      if (this.rollbacks !== generation) return false;
      await this.waitDurable(source.journalSeq).catch(() => undefined);
      return this.rollbacks === generation;
    });
    if (done) {
      this.snapshotSeq = Math.max(this.snapshotSeq, source.journalSeq);
      this.snapshotAppends = appendsBefore;
      this.retryDelayMs = COMPACTION_RETRY_FIRST_MS;
      this.cancelRetry?.();
      this.cancelRetry = null;
    }
    return done;
  }
}

function journalLine(committed: Committed): string {
  const ops: JournalOp[] = committed.writes.map((w) => (w.after === undefined ? { c: w.collection, del: w.key } : { c: w.collection, put: w.after }));
  const entry: JournalEntry = { seq: committed.seq, ops };
  return `${JSON.stringify(entry)}\n`;
}
