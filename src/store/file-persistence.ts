import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { describeError, errnoOf, openFile, syncDirectory, writeFully, type OpenFile, type StoreFile } from './fs-util.js';
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
  /** Opens the journal and snapshot files; tests pass one whose files fail the way a full disk does. */
  openFile?: OpenFile;
}

export const DEFAULT_COMPACT_MIN_BYTES = 8 * 1024 * 1024;

/** A segment that a failed append left longer than its last whole line, and that could not be cut back yet. */
interface DamagedSegment {
  number: number;
  /** Bytes up to and including its last whole line. */
  length: number;
}

/**
 * The data file (a lowdb JSON snapshot) plus an append-only journal in
 * numbered segments beside it. A commit is one append and one fdatasync; a
 * compaction starts a new segment, writes a snapshot, and removes the
 * segments the snapshot covers. Start-up replays whatever segments exist on
 * top of the snapshot, skipping entries it already holds, so a kill at any
 * moment of a compaction leaves files that load.
 *
 * A failed append leaves the journal as it was before it: the segment is cut
 * back to its last whole line, and the cut is checked. Until that has
 * worked, nothing is appended anywhere (start-up would replay a line that
 * follows the leftovers after them), and every append tries the cut again,
 * so writes resume by themselves once the disk has room or the directory is
 * writable again.
 */
export class FilePersistence implements Persistence {
  private readonly low: Low<SnapshotSource>;
  private readonly adapter: SnapshotFileAdapter;
  private current: number;
  private handle: StoreFile | null = null;
  private handleSize = 0;
  private readonly sizes: Map<number, number>;
  private damaged: DamagedSegment | null = null;
  private readonly compactMinBytes: number;
  private readonly openFile: OpenFile;
  private gate: () => Promise<boolean> = async () => true;

  constructor(
    readonly path: string,
    supportedVersion: number,
    journal: Pick<ReadJournal, 'segments' | 'sizes'>,
    snapshotBytes: number,
    private readonly lock: HeldLock | null,
    options: FilePersistenceOptions = {},
  ) {
    this.openFile = options.openFile ?? openFile;
    this.adapter = new SnapshotFileAdapter(path, { supportedVersion, gate: () => this.gate(), openFile: this.openFile });
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
    await this.repairDamaged();
    const file = await this.openCurrent();
    const before = this.handleSize;
    const bytes = Buffer.from(text, 'utf8');
    try {
      await writeFully(file, bytes);
      await file.datasync();
    } catch (error) {
      await this.cutBack(file, before);
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
    // A segment holding nothing serves as the new one: compactions that keep failing must not leave a trail of segments.
    if (!this.sizes.get(this.current)) return;
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
    let leftOver: unknown = null;
    for (const number of covered) {
      try {
        await unlink(segmentPath(this.path, number));
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT') {
          // Harmless to replay (the snapshot holds its entries); the next compaction removes it.
          leftOver ??= error;
          continue;
        }
      }
      this.sizes.delete(number);
      // Its leftovers went with it, and the snapshot holds every change it had.
      if (this.damaged?.number === number) this.damaged = null;
    }
    await syncDirectory(dirname(this.path));
    if (leftOver) throw new Error(`the snapshot was written, but a journal segment it covers could not be removed (${describeError(leftOver)})`);
    return true;
  }

  async close(): Promise<void> {
    await this.closeHandle().catch(() => undefined);
    await this.lock?.release();
  }

  /** After a failed append: back to `length` bytes, the segment's last whole line, checked with fstat. */
  private async cutBack(file: StoreFile, length: number): Promise<void> {
    try {
      await file.truncate(length);
      await file.datasync();
      if ((await file.stat()).size === length) return;
    } catch {
      /* still damaged: repaired before the next append */
    }
    this.damaged = { number: this.current, length };
    await this.closeHandle().catch(() => undefined);
  }

  /** Cuts a damaged segment back through a new handle, or throws: no append may follow its leftovers. */
  private async repairDamaged(): Promise<void> {
    const damaged = this.damaged;
    if (!damaged) return;
    const path = segmentPath(this.path, damaged.number);
    try {
      const file = await this.openFile(path, 'r+');
      try {
        await file.truncate(damaged.length);
        await file.datasync();
        const { size } = await file.stat();
        if (size !== damaged.length) throw new Error(`it is ${size} bytes long after truncating it to ${damaged.length}`);
      } finally {
        await file.close().catch(() => undefined);
      }
    } catch (error) {
      // Gone (removed by hand): no leftovers for a line to follow.
      if (errnoOf(error) !== 'ENOENT') {
        throw Object.assign(
          new Error(`the journal ${path} still ends in part of an earlier failed write and could not be cut back (${describeError(error)}); changes are refused until it can`),
          { code: errnoOf(error) },
        );
      }
    }
    this.damaged = null;
    // A fresh segment rather than more lines after a write that went wrong.
    if (damaged.number === this.current) {
      this.sizes.set(damaged.number, damaged.length);
      this.current += 1;
    }
  }

  private async openCurrent(): Promise<StoreFile> {
    if (this.handle) return this.handle;
    const path = segmentPath(this.path, this.current);
    const handle = await this.openFile(path, 'a');
    let size: number;
    try {
      size = (await handle.stat()).size;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
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
