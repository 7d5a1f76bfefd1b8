// A small schema of the store tests' own (the store must not need the
// Identity Center domain), temp directories, and helpers to look at the files
// a file-backed store leaves behind.
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collection } from '../../src/store/collection.js';
import { StateFormatError } from '../../src/store/errors.js';
import { log } from '../../src/store/log-collection.js';
import { openStore, type OpenedStore, type SchemaDefinition } from '../../src/store/open-store.js';
import type { Persistence, SnapshotSource } from '../../src/store/persistence.js';
import type { Store } from '../../src/store/store.js';

export interface Item {
  readonly id: string;
  /** Hash-indexed (`group`) and the ordered index's group. */
  readonly group: string;
  /** Hash-indexed (`tag`); items without one are filed nowhere. */
  readonly tag?: string;
  /** The ordered index's sort key (then the id). */
  readonly rank: number;
  readonly nested: { readonly values: readonly number[] };
}

export interface Note {
  readonly id: string;
  readonly text: string;
}

export interface LogEntry {
  readonly seq: number;
  readonly what: string;
}

export const TEST_SCHEMA = {
  items: collection<Item>()({
    key: (i) => i.id,
    indexes: { group: (i) => i.group, tag: (i) => i.tag },
    ordered: { byRank: { group: (i) => i.group, sortKey: (i) => [i.rank, i.id] } },
  }),
  notes: collection<Note>()({ key: (n) => n.id }),
  events: log<LogEntry>()({ seq: (e) => e.seq }),
};

export type TestSchema = typeof TEST_SCHEMA;
export type TestStore = Store<TestSchema>;

export const TEST_VERSION = 2;

const NAMES = new Set(Object.keys(TEST_SCHEMA));

/** Version 1 notes had `body` where version 2 has `text`. */
export const TEST_DEFINITION: SchemaDefinition<TestSchema> = {
  schema: TEST_SCHEMA,
  version: TEST_VERSION,
  migrate: (source) => {
    for (const [name] of source.collections) {
      if (!NAMES.has(name)) throw new StateFormatError(`unknown collection ${JSON.stringify(name)}`);
    }
    if (source.schemaVersion >= TEST_VERSION) return source;
    const collections = source.collections.map(([name, records]) =>
      name === 'notes' ? ([name, records.map((r) => ({ id: (r as { id: string }).id, text: (r as { body: string }).body }))] as const) : ([name, records] as const),
    );
    return { schemaVersion: TEST_VERSION, journalSeq: source.journalSeq, collections };
  },
};

export const NO_FIXTURES: SnapshotSource = { schemaVersion: TEST_VERSION, journalSeq: 0, collections: [] };

export function item(id: string, fields: Partial<Omit<Item, 'id'>> = {}): Item {
  return { id, group: 'g1', rank: 0, nested: { values: [1, 2] }, ...fields };
}

export async function openTestStore(
  dataFile: string | null,
  options: { compactMinBytes?: number; fixtures?: SnapshotSource; resetDamagedData?: boolean } = {},
): Promise<OpenedStore<TestSchema>> {
  return openStore({
    definition: TEST_DEFINITION,
    dataFile,
    fixtures: options.fixtures ?? NO_FIXTURES,
    now: new Date('2026-03-01T00:00:00Z'),
    ...(options.compactMinBytes === undefined ? {} : { compactMinBytes: options.compactMinBytes }),
    ...(options.resetDamagedData === undefined ? {} : { resetDamagedData: options.resetDamagedData }),
  });
}

export interface Scratch {
  dir: string;
  /** The data file's path (it need not exist). */
  dataFile: string;
  /** File names in the directory, sorted; the lock a live store holds is left out (a crash copy would hold a dead owner's). */
  names(): Promise<string[]>;
  /** Names of the journal segments, sorted. */
  segments(): Promise<string[]>;
  /** Every file's bytes, by name. */
  contents(): Promise<Map<string, Buffer>>;
  remove(): Promise<void>;
}

export async function scratchDir(prefix = 'tce-store-'): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const dataFile = join(dir, 'state.json');
  const names = async () => (await readdir(dir)).filter((n) => !n.endsWith('.lock')).sort();
  return {
    dir,
    dataFile,
    names,
    segments: async () => (await names()).filter((n) => /^state\.json\.journal\.\d{12}$/.test(n)),
    contents: async () => new Map(await Promise.all((await names()).map(async (n) => [n, await readFile(join(dir, n))] as const))),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A copy of the files as they are now (the lock left out): what a restart after a crash at this moment would find. */
export async function copyScratch(scratch: Scratch, prefix = 'tce-store-copy-'): Promise<Scratch> {
  const copy = await scratchDir(prefix);
  for (const name of await scratch.names()) await copyFile(join(scratch.dir, name), join(copy.dir, name));
  return copy;
}

/** `<data>.json.journal.<12 digits>` */
export function segmentName(number: number): string {
  return `state.json.journal.${String(number).padStart(12, '0')}`;
}

/** One journal line as the store writes it. */
export function journalLine(seq: number, ops: ReadonlyArray<{ c: string; put: object } | { c: string; del: string }>): string {
  return `${JSON.stringify({ seq, ops })}\n`;
}

/** A data file as the store writes it (pretty enough; the reader does not care). */
export function snapshotText(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/** What every collection holds and how every index files it: two stores with the same picture are indistinguishable to a reader. */
export function picture(store: TestStore, groups: readonly string[] = ['g1', 'g2', 'g3'], tags: readonly string[] = ['red', 'blue']) {
  const { items, notes, events } = store.view;
  const ids = (records: Iterable<{ id: string }>) => Array.from(records, (r) => r.id);
  return {
    dump: store.dump(),
    sizes: { items: items.size, notes: notes.size, events: events.size },
    events: { newest: events.newest()?.seq, oldest: events.oldest()?.seq, desc: Array.from(events.iterate('Desc'), (e) => e.seq) },
    byGroup: groups.map((g) => ({ g, find: ids(items.find('group', g)), iterate: ids(items.iterate('group', g)), count: items.count('group', g), one: items.findOne('group', g)?.id })),
    byTag: tags.map((t) => ({ t, find: ids(items.find('tag', t)), count: items.count('tag', t) })),
    ranked: groups.map((g) => {
      const view = items.ordered('byRank', g);
      return { g, size: view.size, asc: ids(view.iterate('Asc')), desc: ids(view.iterate('Desc')), first: view.at(0)?.id };
    }),
  };
}

/** A promise with its resolve and reject, to hold a backend call until a test lets it go. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Wraps a real backend: counts and records appends, and can hold them (until
 * released) or fail them, so a test decides what the disk does.
 */
export class ScriptedPersistence implements Persistence {
  /** Text of every append the inner backend accepted, in order. */
  readonly appended: string[] = [];
  /** How many times append was called. */
  appendCalls = 0;
  /** Appends wait for this before doing anything (null: go straight on). */
  hold: Promise<void> | null = null;
  /** How many of the next appends fail (after `hold`, with ENOSPC) without reaching the inner backend. */
  failNext = 0;
  rotations = 0;
  /** A snapshot, once written, waits for this before the store's gate decides whether it replaces the old one. */
  snapshotHold: Promise<void> | null = null;
  /** Snapshots that reached the gate. */
  snapshotsWritten = 0;

  constructor(readonly inner: Persistence) {}

  get description(): string {
    return this.inner.description;
  }

  async append(text: string): Promise<void> {
    this.appendCalls += 1;
    if (this.hold) await this.hold;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('no space left on device (scripted)'), { code: 'ENOSPC' });
    }
    await this.inner.append(text);
    this.appended.push(text);
  }

  wantsCompaction(): boolean {
    return this.inner.wantsCompaction();
  }

  async rotate(): Promise<void> {
    this.rotations += 1;
    await this.inner.rotate();
  }

  writeSnapshot(source: SnapshotSource, gate: () => Promise<boolean>): Promise<boolean> {
    return this.inner.writeSnapshot(source, async () => {
      this.snapshotsWritten += 1;
      if (this.snapshotHold) await this.snapshotHold;
      return gate();
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Lets setImmediate callbacks (the store's flush) and the I/O they start run. */
export async function ticks(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether a promise has settled yet, without waiting for it. */
export function watch(promise: Promise<unknown>): { settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

/** Resolves like `promise`, or fails the test after `ms` (a store that hangs should fail fast, not time the suite out). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The seq of every journal line in appended text, in order. */
export function seqsOf(appended: readonly string[]): number[] {
  return appended
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { seq: number }).seq);
}
