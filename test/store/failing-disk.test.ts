// The file backend on a disk that misbehaves the ways a full or read-only one
// does, through an injected file opener: writes taken in pieces, a disk that
// fills in the middle of a line, truncation that fails or does not take, and
// snapshots that do not fit. The real thing (a tmpfs that fills) is in
// full-disk.test.ts; these pin each rule down exactly and cheaply.
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FinalSnapshotError, StoreWriteError } from '../../src/store/errors.js';
import type { OpenFile, StoreFile } from '../../src/store/fs-util.js';
import { readJournal } from '../../src/store/journal-files.js';
import { openStore } from '../../src/store/open-store.js';
import { COMPACTION_RETRY_MAX_MS, type Schedule } from '../../src/store/store.js';
import { NO_FIXTURES, TEST_DEFINITION, copyScratch, item, openTestStore, scratchDir, ticks, type Scratch, type TestStore } from '../helpers/store.js';

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: scripted ${syscall} failure`), { code, syscall });
}

/** Real files, with faults a test switches on and off. */
class FaultyDisk {
  /** Bytes the disk still takes, over every file; null: no limit. Truncation gives nothing back. */
  room: number | null = null;
  /** Most bytes one write call takes. */
  maxWrite = Number.POSITIVE_INFINITY;
  /** Truncation throws this code (null: it works). */
  truncateFails: string | null = null;
  /** Truncation returns but the file keeps its length. */
  truncateIgnored = false;
  /** Writes to snapshot temp files throw ENOSPC. */
  snapshotsFull = false;
  readonly open: OpenFile = async (path, flags) => this.wrap(path, await open(path, flags));

  private wrap(path: string, handle: FileHandle): StoreFile {
    return {
      write: async (buffer, offset, length, position) => {
        if (this.snapshotsFull && path.endsWith('.tmp')) throw errno('ENOSPC', 'write');
        let take = Math.min(length, this.maxWrite);
        if (this.room !== null) {
          if (this.room === 0) throw errno('ENOSPC', 'write');
          take = Math.min(take, this.room);
          this.room -= take;
        }
        return handle.write(buffer, offset, take, position);
      },
      datasync: () => handle.datasync(),
      sync: () => handle.sync(),
      truncate: async (length) => {
        if (this.truncateFails) throw errno(this.truncateFails, 'ftruncate');
        if (!this.truncateIgnored) await handle.truncate(length);
      },
      stat: () => handle.stat(),
      close: () => handle.close(),
    };
  }
}

/** A pretend timer: the test decides when a scheduled retry runs. */
class Timers {
  readonly scheduled: { ms: number; run: () => void; done: boolean }[] = [];
  readonly schedule: Schedule = (run, ms) => {
    const timer = { ms, run, done: false };
    this.scheduled.push(timer);
    return () => {
      timer.done = true;
    };
  };
  /** Delays of the timers neither run nor cancelled. */
  get pending(): number[] {
    return this.scheduled.filter((t) => !t.done).map((t) => t.ms);
  }
  /** Runs the one pending timer now. */
  fire(): void {
    const due = this.scheduled.filter((t) => !t.done);
    expect(due).toHaveLength(1);
    due[0]!.done = true;
    due[0]!.run();
  }
}

let scratch: Scratch;
let disk: FaultyDisk;
const opened: TestStore[] = [];
const copies: Scratch[] = [];

beforeEach(async () => {
  scratch = await scratchDir('tce-faulty-');
  disk = new FaultyDisk();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(copies.splice(0).map((c) => c.remove()));
  await scratch.remove();
});

async function openFaulty(options: { compactMinBytes?: number; schedule?: Schedule } = {}): Promise<TestStore> {
  const { store } = await openStore({
    definition: TEST_DEFINITION,
    dataFile: scratch.dataFile,
    fixtures: NO_FIXTURES,
    now: new Date('2026-03-01T00:00:00Z'),
    openFile: disk.open,
    onBackgroundError: () => undefined,
    ...options,
  });
  opened.push(store);
  return store;
}

/** The item ids a restart at this moment would find (opening a copy of the files). */
async function idsAfterRestart(): Promise<string[]> {
  const copy = await copyScratch(scratch);
  copies.push(copy);
  const { store } = await openTestStore(copy.dataFile);
  try {
    return Array.from(store.view.items.scan(), (i) => i.id);
  } finally {
    await store.close();
  }
}

const sizeOf = async (name: string) => (await stat(join(scratch.dir, name))).size;
const put = (store: TestStore, id: string) => store.transact(({ items }) => items.put(item(id, { tag: 'x'.repeat(40) })));

test('a line the disk takes a few bytes at a time is written whole before it is acknowledged', async () => {
  const store = await openFaulty();
  disk.maxWrite = 7;
  for (const id of ['a', 'b', 'c']) await put(store, id);
  const journal = await readJournal(scratch.dataFile, 0);
  expect({ entries: journal.entries.length, torn: journal.tornTail }).toEqual({ entries: 3, torn: false });
  expect(await idsAfterRestart()).toEqual(['a', 'b', 'c']);
});

test('a disk that fills in the middle of a line refuses that write and leaves the journal exactly as before it', async () => {
  const store = await openFaulty();
  await put(store, 'a');
  const [segment] = await scratch.segments();
  const goodBytes = await sizeOf(segment!);
  disk.room = 30;
  await expect(put(store, 'b')).rejects.toBeInstanceOf(StoreWriteError);
  expect(await sizeOf(segment!)).toBe(goodBytes);
  expect(store.view.items.has('b')).toBe(false);

  // Space is back: the next write follows the last good line, without a restart.
  disk.room = null;
  await put(store, 'c');
  expect(await idsAfterRestart()).toEqual(['a', 'c']);
});

test.each([
  ['fails (ENOSPC)', (d: FaultyDisk, on: boolean) => (d.truncateFails = on ? 'ENOSPC' : null)],
  ['returns but the file keeps its length', (d: FaultyDisk, on: boolean) => (d.truncateIgnored = on)],
])('when cutting back a failed append %s, nothing is appended after the leftovers; once it works, writes go on in a fresh segment', async (_, cutBroken) => {
  const store = await openFaulty();
  await put(store, 'a');
  const [first] = await scratch.segments();
  const goodBytes = await sizeOf(first!);
  disk.room = 30;
  cutBroken(disk, true);
  await expect(put(store, 'b')).rejects.toBeInstanceOf(StoreWriteError);
  expect(await sizeOf(first!)).toBe(goodBytes + 30);

  // Room again, but the leftovers are still there: refused, and not a byte written anywhere.
  disk.room = null;
  const refused = await put(store, 'c').catch((error: unknown) => error as StoreWriteError);
  expect(refused).toBeInstanceOf(StoreWriteError);
  expect((refused as Error).message).toMatch(/still ends in part of an earlier failed write/);
  expect(await scratch.segments()).toEqual([first]);
  expect(await sizeOf(first!)).toBe(goodBytes + 30);

  // The cut works now: the old segment is back to its last whole line, and the write lands in a new one.
  cutBroken(disk, false);
  await put(store, 'd');
  const segments = await scratch.segments();
  expect(segments).toHaveLength(2);
  expect(await sizeOf(first!)).toBe(goodBytes);
  await put(store, 'e');
  expect(await idsAfterRestart()).toEqual(['a', 'd', 'e']);
});

test('a snapshot the disk takes a few bytes at a time is written whole', async () => {
  const store = await openFaulty();
  for (let i = 0; i < 20; i++) await put(store, `i${i}`);
  disk.maxWrite = 13;
  expect(await store.compact()).toBe(true);
  const doc = JSON.parse(await readFile(scratch.dataFile, 'utf8')) as { items: unknown[] };
  expect(doc.items).toHaveLength(20);
});

test('a snapshot that does not fit leaves the old data file and journal as they were, and no temporary file', async () => {
  const store = await openFaulty();
  for (let i = 0; i < 20; i++) await put(store, `i${i}`);
  const before = await scratch.contents();
  disk.room = 200;
  await expect(store.compact()).rejects.toMatchObject({ code: 'ENOSPC' });
  expect(await scratch.contents()).toEqual(before);
  expect((await readdir(scratch.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  disk.room = null;
  expect(await idsAfterRestart()).toHaveLength(20);
});

test('a compaction that keeps failing opens no segment per attempt and is retried after 1 s, 2 s, 4 s … up to the cap, and no sooner', async () => {
  const timers = new Timers();
  // Every append asks for a compaction.
  const store = await openFaulty({ compactMinBytes: 1, schedule: timers.schedule });
  disk.snapshotsFull = true;
  for (let i = 0; i < 10; i++) {
    await put(store, `i${i}`);
    await ticks();
  }
  // One attempt after the first append; the later appends waited for its retry.
  expect(timers.scheduled.map((t) => t.ms)).toEqual([1000]);
  expect((await scratch.segments()).length).toBeLessThanOrEqual(2);

  for (let attempt = 0; attempt < 7; attempt++) {
    timers.fire();
    await store.compact().catch(() => undefined);
    await ticks();
  }
  expect(timers.scheduled.map((t) => t.ms)).toEqual([1000, 2000, 4000, 8000, 16000, COMPACTION_RETRY_MAX_MS, COMPACTION_RETRY_MAX_MS, COMPACTION_RETRY_MAX_MS]);
  expect((await scratch.segments()).length).toBeLessThanOrEqual(2);
  expect((await readdir(scratch.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

  // Room for the snapshot: the retry takes effect, the journal goes, and the delay starts over.
  disk.snapshotsFull = false;
  timers.fire();
  expect(await store.compact()).toBe(true);
  expect(timers.pending).toEqual([]);
  await put(store, 'after');
  await ticks();
  expect(await idsAfterRestart()).toContain('after');
  // Failing again once the journal has outgrown the new snapshot: from 1 s again.
  disk.snapshotsFull = true;
  for (let i = 0; i < 50 && timers.pending.length === 0; i++) {
    await put(store, `again${i}`);
    await ticks();
  }
  expect(timers.pending).toEqual([1000]);
  await store.close().catch(() => undefined);
  expect(timers.pending).toEqual([]);
});

test('close() with no room for the final snapshot releases the lock and rejects with FinalSnapshotError; the journal holds every change', async () => {
  const store = await openFaulty();
  await put(store, 'a');
  await put(store, 'b');
  disk.snapshotsFull = true;
  const error = await store.close().catch((e: unknown) => e as Error);
  expect(error).toBeInstanceOf(FinalSnapshotError);
  expect((error as Error).message).toMatch(/final snapshot could not be written to .*state\.json \(ENOSPC.*\); the journal beside it holds every acknowledged change, and the next start replays it$/);
  expect(await readdir(scratch.dir)).not.toContain('state.json.lock');
  const { store: reopened } = await openTestStore(scratch.dataFile);
  opened.push(reopened);
  expect(Array.from(reopened.view.items.scan(), (i) => i.id)).toEqual(['a', 'b']);
});
