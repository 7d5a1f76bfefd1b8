// Compaction: a new snapshot written while requests go on, and the journal
// segments it makes redundant removed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreWriteError } from '../../src/store/errors.js';
import { FilePersistence } from '../../src/store/file-persistence.js';
import { Store } from '../../src/store/store.js';
import {
  TEST_SCHEMA,
  TEST_VERSION,
  ScriptedPersistence,
  copyScratch,
  deferred,
  item,
  openTestStore,
  scratchDir,
  type Item,
  type Scratch,
  type TestStore,
  watch,
  within,
} from '../helpers/store.js';

let scratch: Scratch;
const opened: TestStore[] = [];

beforeEach(async () => {
  scratch = await scratchDir();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => within(s.close(), 5000, 'close()')));
  await scratch.remove();
});

async function open(options: { compactMinBytes?: number } = {}) {
  const result = await openTestStore(scratch.dataFile, options);
  opened.push(result.store);
  return result.store;
}

/** Opens a copy of the files as they are now: what a restart after a crash at this moment would find. */
async function openCopyOfFiles(): Promise<TestStore> {
  const copy = await copyScratch(scratch);
  const { store } = await openTestStore(copy.dataFile);
  const close = store.close.bind(store);
  // Closing the copy removes it too.
  store.close = async () => {
    await close();
    await copy.remove();
  };
  opened.push(store);
  return store;
}

const snapshotDoc = async () => JSON.parse(await readFile(scratch.dataFile, 'utf8')) as { journalSeq: number; items: Item[] };

/** Enough records that serialising them takes many 8 ms slices. */
function manyItems(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => item(`seed-${i}`, { group: `g${i % 10}`, rank: i, nested: { values: Array.from({ length: 20 }, (_, k) => i * k) } }));
}

/** A store over a ScriptedPersistence wrapping a FilePersistence, with a data file already there. */
async function openScripted(): Promise<{ store: TestStore; disk: ScriptedPersistence }> {
  const disk = new ScriptedPersistence(new FilePersistence(scratch.dataFile, TEST_VERSION, { segments: [], sizes: new Map() }, 0, null));
  const store = new Store(TEST_SCHEMA, TEST_VERSION, disk, 0);
  opened.push(store);
  store.markSnapshotStale();
  expect(await store.compact()).toBe(true);
  return { store, disk };
}

test('writes keep committing while a compaction runs, and every one of them survives', async () => {
  const { store, disk } = await openScripted();
  await store.transact(({ items }) => {
    for (const record of manyItems(5000)) items.put(record);
  });
  // The snapshot is serialised in slices; then it waits, before replacing the old one, until the test lets it go.
  const release = deferred();
  disk.snapshotHold = release.promise;
  const compaction = store.compact();
  const state = watch(compaction);
  const writes = async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.transact(({ items }) => items.put(item(`c${i}`)))));
    for (let i = 0; i < 10; i++) await store.transact(({ items }) => items.put(item(`s${i}`, { group: 'g2' })));
    await store.transact(({ items }) => items.delete('seed-0'));
  };
  await within(writes(), 5000, 'writes during a compaction');
  expect(state.settled()).toBe(false);
  release.resolve();
  expect(await compaction).toBe(true);
  expect(disk.snapshotsWritten).toBe(2);

  // The snapshot holds what was there when it started; the journal (one new segment) the rest.
  const doc = await snapshotDoc();
  expect(doc.journalSeq).toBeLessThan(store.lastSeq);
  expect(await scratch.segments()).toHaveLength(1);
  const expected = store.dump();
  expect(expected.items).toHaveLength(5000 + 20 - 1);
  const crashed = await openCopyOfFiles();
  expect(crashed.dump()).toEqual(expected);

  await store.close();
  const { store: reopened } = await openTestStore(scratch.dataFile);
  opened.push(reopened);
  expect(reopened.dump()).toEqual(expected);
});

test('a compaction whose snapshot holds a change that is then rolled back drops the new snapshot and leaves the old files', async () => {
  const { store, disk } = await openScripted();
  await store.transact(({ items }) => items.put(item('kept')));
  const before = await scratch.contents();

  disk.failNext = 1;
  const compaction = store.compact();
  // Committed before the capture, so the snapshot holds it, but its append fails.
  const doomed = store.transact(({ items }) => items.put(item('doomed')));
  await expect(doomed).rejects.toBeInstanceOf(StoreWriteError);
  expect(await within(compaction, 3000, 'the compaction')).toBe(false);

  // Same snapshot and journal bytes (the rotation created no file: nothing was appended after it), no temp file.
  expect(await scratch.contents()).toEqual(before);
  expect(store.view.items.has('doomed')).toBe(false);

  // The next compaction takes effect and holds only what was acknowledged.
  await store.transact(({ items }) => items.put(item('later')));
  expect(await store.compact()).toBe(true);
  expect((await snapshotDoc()).items.map((i) => i.id)).toEqual(['kept', 'later']);
  expect(await scratch.segments()).toEqual([]);
});

test('a compaction removes the journal segments it covers and keeps the newer one', async () => {
  const store = await open();
  for (let i = 0; i < 3; i++) {
    await store.transact(({ items }) => items.put(item(`a${i}`)));
    expect(await store.compact()).toBe(true);
  }
  await store.transact(({ items }) => items.put(item('b')));
  const old = await scratch.segments();
  expect(old).toHaveLength(1);

  // Committed as the compaction starts: its line goes to the new segment, which the compaction must keep.
  const compaction = store.compact();
  const during = store.transact(({ items }) => items.put(item('c')));
  await Promise.all([compaction, during]);
  const now = await scratch.segments();
  expect(now).toHaveLength(1);
  expect(now).not.toContain(old[0]);
  expect(now[0]! > old[0]!).toBe(true);
  expect(await readFile(join(scratch.dir, now[0]!), 'utf8')).toContain('"id":"c"');
});

test('the snapshot is JSON a person can read: one record a line', async () => {
  const store = await open();
  await store.transact(({ items, notes }) => {
    for (let i = 0; i < 50; i++) items.put(item(`i${i}`, { tag: i % 2 ? 'red' : undefined, rank: i }));
    notes.put({ id: 'n', text: 'line\nbreak "quoted"' });
  });
  await store.compact();
  const text = await readFile(scratch.dataFile, 'utf8');
  const doc = JSON.parse(text) as { schemaVersion: number; journalSeq: number; items: Item[]; notes: unknown[] };
  expect(doc.schemaVersion).toBe(2);
  expect(doc.journalSeq).toBe(store.lastSeq);
  expect(doc.items).toEqual(store.dump().items);
  expect(doc.notes).toEqual(store.dump().notes);

  const lines = text.split('\n');
  expect(lines.slice(0, 4)).toEqual(['{', ' "schemaVersion": 2,', ` "journalSeq": ${store.lastSeq},`, ' "items": [']);
  const recordLines = lines.filter((l) => l.startsWith('  {'));
  expect(recordLines).toHaveLength(51);
  for (const line of recordLines) expect(() => JSON.parse(line.replace(/,$/, '')) as unknown).not.toThrow();
  expect(lines.every((l) => l.length < 200)).toBe(true);
});

test('with a small compactMinBytes the store compacts by itself once the journal outgrows the snapshot', async () => {
  const store = await open({ compactMinBytes: 1 });
  for (let i = 0; i < 10; i++) await store.transact(({ items }) => items.put(item(`a${i}`)));
  const deadline = Date.now() + 5000;
  while ((await snapshotDoc()).journalSeq === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const doc = await snapshotDoc();
  expect(doc.journalSeq).toBeGreaterThan(0);
  expect(doc.items.map((i) => i.id)).toEqual(Array.from({ length: doc.journalSeq }, (_, i) => `a${i}`));
});

test('without reaching compactMinBytes the journal just grows', async () => {
  const store = await open({ compactMinBytes: 1 << 20 });
  for (let i = 0; i < 10; i++) await store.transact(({ items }) => items.put(item(`a${i}`)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await snapshotDoc()).journalSeq).toBe(0);
  expect(await scratch.segments()).toHaveLength(1);
});
