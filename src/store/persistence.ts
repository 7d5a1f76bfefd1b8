/** One committed change to one record, as journaled: `put` the new record, or `del` the key. */
export type JournalOp = { c: string; put: unknown } | { c: string; del: string };

export interface JournalEntry {
  seq: number;
  ops: JournalOp[];
}

/** What a snapshot holds: the state as of `journalSeq`, every collection in insertion order. */
export interface SnapshotSource {
  schemaVersion: number;
  journalSeq: number;
  collections: ReadonlyArray<readonly [name: string, records: readonly unknown[]]>;
}

/**
 * Where committed changes go. The store decides what and when; a backend only
 * makes bytes durable. Both backends pass the same contract suite.
 */
export interface Persistence {
  /** For messages: a file path, or "in memory". */
  readonly description: string;
  /** Appends journal lines (each ending in a newline); resolves once they are durable. Never called concurrently. */
  append(text: string): Promise<void>;
  /** Whether the journal has grown enough to be worth compacting. */
  wantsCompaction(): boolean;
  /** Starts a new journal segment; appends after this go there. Never called during an append. */
  rotate(): Promise<void>;
  /**
   * Writes `source` as the new snapshot. `gate` runs once the new snapshot's
   * bytes are on disk and before it replaces the old one; when it answers
   * false the new snapshot is dropped and the old files stay as they were.
   * Once the snapshot is in place, journal segments it covers are removed.
   * Resolves true when the new snapshot took effect.
   */
  writeSnapshot(source: SnapshotSource, gate: () => Promise<boolean>): Promise<boolean>;
  /** Releases files; the store has already flushed and compacted. */
  close(): Promise<void>;
}

/** Keeps nothing: the in-memory store is durable the moment a change is made. */
export class MemoryPersistence implements Persistence {
  readonly description = 'in memory';

  async append(): Promise<void> {}

  wantsCompaction(): boolean {
    return false;
  }

  async rotate(): Promise<void> {}

  async writeSnapshot(_source: SnapshotSource, gate: () => Promise<boolean>): Promise<boolean> {
    return gate();
  }

  async close(): Promise<void> {}
}
