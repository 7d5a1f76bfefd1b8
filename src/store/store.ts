import { Low } from 'lowdb';
import { ApiError } from '../errors/api-error.js';
import type { SnapshotAdapter } from './adapters.js';
import type { State } from './state.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface StoreOptions {
  /**
   * Errors a mutation may throw before it changes anything (rule violations such
   * as ApiError). Any other error is treated as a bug that may have left a
   * half-made change, and the state is rolled back.
   */
  isRuleViolation?: (error: unknown) => boolean;
}

/**
 * The state, its durable copy, and the only way to change it.
 *
 * A mutation runs synchronously against the live state, so a check and the
 * change it guards can never interleave with another request (this is what
 * keeps "at most 2 SCIM keys per zone" true under concurrency). Its promise
 * resolves only once a write containing it is on disk; mutations that arrive
 * while a write is in flight share the next write (group commit).
 */
export class Store {
  private readonly db: Low<State>;
  private waiting: Waiter[] = [];
  private flushing = false;
  private closed = false;
  private readonly isRuleViolation: (error: unknown) => boolean;

  constructor(
    readonly adapter: SnapshotAdapter,
    initial: State,
    options: StoreOptions = {},
  ) {
    this.db = new Low(adapter, initial);
    this.isRuleViolation = options.isRuleViolation ?? ((error) => error instanceof ApiError);
  }

  /** Where the state lives, for start-up messages. */
  get location(): string {
    return this.adapter.description;
  }

  read<T>(fn: (state: Readonly<State>) => T): T {
    return fn(this.db.data);
  }

  /** Writes the current state now (start-up, reset); resolves when durable. */
  async persist(): Promise<void> {
    return this.mutate(() => undefined);
  }

  mutate<T>(fn: (state: State) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    let result: T;
    try {
      result = fn(this.db.data);
    } catch (error) {
      if (!this.isRuleViolation(error)) this.rollbackUnwritten(error);
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: () => resolve(result), reject });
      this.scheduleFlush();
    });
  }

  /** Replaces the whole state (reset, load snapshot); resolves when durable. */
  replace(next: State): Promise<void> {
    return this.mutate((state) => {
      Object.assign(state, next);
    });
  }

  /** Waits for pending writes, then refuses further mutations. */
  async close(): Promise<void> {
    while (this.flushing || this.waiting.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.closed = true;
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    // setImmediate, not a microtask: lets requests already read from sockets join this write.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.db.write();
      } catch {
        // Nothing in this batch or queued behind it was acknowledged: undo it all in memory.
        const failed = [...batch, ...this.waiting];
        this.waiting = [];
        this.restore(this.adapter.durableText);
        for (const waiter of failed) waiter.reject(new ApiError('storeWriteFailed'));
        continue;
      }
      for (const waiter of batch) waiter.resolve();
    }
    this.flushing = false;
  }

  /**
   * A mutation threw something unexpected, possibly half-way through a change:
   * return to the last state a write was started for, and fail the mutations
   * queued since (none of them has been acknowledged).
   */
  private rollbackUnwritten(cause: unknown): void {
    this.restore(this.adapter.startedText ?? this.adapter.durableText);
    const failed = this.waiting;
    this.waiting = [];
    for (const waiter of failed) waiter.reject(cause);
  }

  private restore(text: string | null): void {
    if (text === null) return;
    const snapshot = JSON.parse(text) as State;
    const live = this.db.data as unknown as Record<string, unknown>;
    for (const key of Object.keys(live)) delete live[key];
    Object.assign(live, snapshot);
  }
}
