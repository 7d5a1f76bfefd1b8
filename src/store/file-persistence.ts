import { open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { errnoOf, syncDirectory } from './fs-util.js';
import { segmentPath, type ReadJournal } from './journal-files.js';
import type { HeldLock } from './lock.js';
import type { Persistence, SnapshotSource } from './persistence.js';
import { SnapshotFileAdapter } from './snapshot-adapter.js';

export interface FilePersistenceOptions {
  /**
   * Compact once the journal is this large and at least as large as the
   * snapshot (Redis's auto-aof-rewrite-min-size and -percentage 100).
   */
  compactMinBytes?: number;
}

export const DEFAULT_COMPACT_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The data file (a lowdb JSON snapshot) plus an append-only journal in
 * numbered segments beside it. A commit is one append and one fdatasync; a
 * compaction starts a new segment, writes a snapshot, and removes the
 * segments the snapshot covers. Start-up replays whatever segments exist on
 * top of the snapshot, skipping entries it already holds, so a kill at any
 * moment of a compaction leaves files that load.
 */
export class FilePersistence implements Persistence {
  private readonly low: Low<SnapshotSource>;
  private readonly adapter: SnapshotFileAdapter;
  private current: number;
  private handle: FileHandle | null = null;
  private handleSize = 0;
  private readonly sizes: Map<number, number>;
  private broken: Error | null = null;
  private readonly compactMinBytes: number;
  private gate: () => Promise<boolean> = async () => true;

  constructor(
    readonly path: string,
    supportedVersion: number,
    journal: Pick<ReadJournal, 'segments' | 'sizes'>,
    snapshotBytes: number,
    private readonly lock: HeldLock | null,
    options: FilePersistenceOptions = {},
  ) {
    this.adapter = new SnapshotFileAdapter(path, { supportedVersion, gate: () => this.gate() });
    this.adapter.bytes = snapshotBytes;
    this.low = new Low(this.adapter, { schemaVersion: supportedVersion, journalSeq: 0, collections: [] });
    this.sizes = new Map(journal.sizes);
    const newest = journal.segments[journal.segments.length - 1]?.number ?? 0;
    // Never append to a segment found at start-up: it may end in a torn line.
    this.current = newest + 1;
    this.compactMinBytes = options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES;
  }

  get description(): string {
    return this.path;
  }

  /** Bytes in all journal segments. */
  get journalBytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  async append(text: string): Promise<void> {
    if (this.broken) throw this.broken;
    const file = await this.openCurrent();
    const before = this.handleSize;
    const bytes = Buffer.from(text, 'utf8');
    try {
      await file.write(bytes, 0, bytes.length, null);
      await file.datasync();
    } catch (error) {
      // Cut off whatever part of the lines reached the file, so the next append does not follow garbage.
      try {
        await file.truncate(before);
        await file.datasync();
      } catch (truncateError) {
        this.broken = new Error(`the journal ${segmentPath(this.path, this.current)} could not be repaired after a failed write (${errnoOf(truncateError) ?? String(truncateError)}); restart the emulator`);
      }
      throw error;
    }
    this.handleSize = before + bytes.length;
    this.sizes.set(this.current, this.handleSize);
  }

  wantsCompaction(): boolean {
    const journal = this.journalBytes;
    return journal >= this.compactMinBytes && journal >= this.adapter.bytes;
  }

  async rotate(): Promise<void> {
    await this.closeHandle();
    this.current += 1;
  }

  async writeSnapshot(source: SnapshotSource, gate: () => Promise<boolean>): Promise<boolean> {
    const covered = [...this.sizes.keys()].filter((n) => n < this.current);
    this.gate = gate;
    this.low.data = source;
    try {
      await this.low.write();
    } finally {
      this.gate = async () => true;
    }
    if (this.adapter.dropped) return false;
    for (const number of covered) {
      await unlink(segmentPath(this.path, number)).catch((error: unknown) => {
        if (errnoOf(error) !== 'ENOENT') throw error;
      });
      this.sizes.delete(number);
    }
    await syncDirectory(dirname(this.path));
    return true;
  }

  async close(): Promise<void> {
    await this.closeHandle();
    await this.lock?.release();
  }

  private async openCurrent(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    const path = segmentPath(this.path, this.current);
    const handle = await open(path, 'a');
    const { size } = await handle.stat();
    // The new file's name must survive a crash too.
    await syncDirectory(dirname(this.path));
    this.handle = handle;
    this.handleSize = size;
    this.sizes.set(this.current, size);
    return handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
