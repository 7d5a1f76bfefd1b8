import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DataFileLockedError } from '../../src/store/lock.js';
import { item, openTestStore, scratchDir, type Scratch } from '../helpers/store.js';

let scratch: Scratch;
beforeEach(async () => {
  scratch = await scratchDir('tce-lock-');
});
afterEach(() => scratch.remove());

const lockPath = () => `${scratch.dataFile}.lock`;

test('a second store on the same data file is refused, naming the file and the holder; closing releases it', async () => {
  const { store } = await openTestStore(scratch.dataFile);
  const second = openTestStore(scratch.dataFile);
  await expect(second).rejects.toBeInstanceOf(DataFileLockedError);
  await expect(second).rejects.toThrow(new RegExp(`${scratch.dataFile}.*process ${process.pid}`));
  await store.close();
  const { store: again } = await openTestStore(scratch.dataFile);
  await again.transact(({ items }) => items.put(item('after')));
  await again.close();
});

test('the refused store changes nothing: the holder keeps writing and its lock stays', async () => {
  const { store } = await openTestStore(scratch.dataFile);
  const lock = await readFile(lockPath(), 'utf8');
  await expect(openTestStore(scratch.dataFile)).rejects.toBeInstanceOf(DataFileLockedError);
  expect(await readFile(lockPath(), 'utf8')).toBe(lock);
  await store.transact(({ items }) => items.put(item('kept')));
  await store.close();
  const { store: reopened } = await openTestStore(scratch.dataFile);
  expect(reopened.view.items.get('kept')).toBeDefined();
  await reopened.close();
});

test('a lock left by a process that is gone is taken over and reported', async () => {
  // A pid that existed and has exited: a short-lived child's.
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  await writeFile(lockPath(), JSON.stringify({ pid: gone, host: hostname(), startTicks: '1', since: '2026-01-01T00:00:00.000Z' }));
  const { store, tookOverLockFrom } = await openTestStore(scratch.dataFile);
  expect(tookOverLockFrom).toMatchObject({ pid: gone });
  expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
  await store.close();
});

test('a lock whose pid now belongs to another process (recycled) is taken over too', async () => {
  // Our own pid, but a start time that is not ours: the owner that wrote it is gone.
  await writeFile(lockPath(), JSON.stringify({ pid: process.pid, host: hostname(), startTicks: '0', since: '2026-01-01T00:00:00.000Z' }));
  const { store, tookOverLockFrom } = await openTestStore(scratch.dataFile);
  expect(tookOverLockFrom).toMatchObject({ pid: process.pid, startTicks: '0' });
  await store.close();
});

test('an unreadable lock file (a crash while writing it) is taken over', async () => {
  await writeFile(lockPath(), '{"pid": 12');
  const { store, tookOverLockFrom } = await openTestStore(scratch.dataFile);
  expect(tookOverLockFrom).not.toBeNull();
  await store.close();
});

test('in-memory stores take no lock', async () => {
  const [a, b] = await Promise.all([openTestStore(null), openTestStore(null)]);
  expect(await scratch.names()).toEqual([]);
  await Promise.all([a.store.close(), b.store.close()]);
});
