// A disk that really fills up (a small tmpfs) or turns read-only (chattr +i)
// under a running emulator, and SIGKILL: every acknowledged write survives the
// restart, writes resume by themselves once the disk has room or is writable
// again, and a compaction that cannot fit does not pile up journal segments.
import { Agent } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi, listUserNames, startCli } from '../helpers/cli-process.js';
import { CHATTR_UNAVAILABLE, TMPFS_UNAVAILABLE, mountTmpfs, setImmutable, testIf, type SmallDisk } from '../helpers/full-disk.js';
import { Ledger, createUsers, fullDiskRound, kill, startOn } from '../helpers/full-disk-rounds.js';
import { StoreChild } from '../helpers/store-child.js';
import { openTestStore } from '../helpers/store.js';

const withTmpfs = testIf(TMPFS_UNAVAILABLE, 'full-disk tests (they mount a small tmpfs, which needs root)');
const withChattr = testIf(CHATTR_UNAVAILABLE, 'read-only directory test (chattr +i on /tmp)');

let disk: SmallDisk | null = null;
afterEach(async () => {
  await disk?.remove();
  disk = null;
});

withTmpfs('every acknowledged CreateUser survives SIGKILL and restart through filling, freeing and refilling a 2 MB disk', async () => {
  disk = await mountTmpfs('2m');
  const ledger = new Ledger();
  let cli = await startOn(disk);
  try {
    expect(await createUsers(cli, ledger, { max: 3 })).toEqual({ acked: 3, refused: 0 });
    cli = await fullDiskRound(disk, cli, ledger, { refusals: 5, killWhileFull: false, parallel: 1 });
    cli = await fullDiskRound(disk, cli, ledger, { refusals: 5, killWhileFull: true, parallel: 4 });
    // And the restarted emulator takes writes.
    expect(await createUsers(cli, ledger, { max: 3 })).toEqual({ acked: 3, refused: 0 });
  } finally {
    await kill(cli);
  }
}, 60_000);

withTmpfs('a compaction whose snapshot does not fit keeps the journal to a few segments, and the files load once the disk grows', async () => {
  disk = await mountTmpfs('1m');
  const dataFile = join(disk.dir, 'state.json');
  const segments = async () => (await readdir(disk!.dir)).filter((n) => n.includes('.journal.')).length;
  // A compaction is asked for once the journal passes 600 kB: its snapshot cannot fit beside it.
  const child = new StoreChild(dataFile, 'full-disk', 600 * 1024);
  let mostSegments = 0;
  try {
    await child.waitFor((c) => c.count('compaction-failed') >= 1 && c.count('refused') >= 20, 20_000, 'a failed compaction and a full disk');
    const ackedWhileFull = child.acked().length;
    // Writers keep trying all along; the store retries the compaction on its own delay, not theirs.
    for (let i = 0; i < 10; i++) {
      mostSegments = Math.max(mostSegments, await segments());
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(mostSegments).toBeLessThanOrEqual(3);
    expect(child.count('compaction-failed')).toBeLessThanOrEqual(4);

    // More room: the same process takes writes again.
    disk.resize('64m');
    await child.waitFor((c) => c.acked().length >= ackedWhileFull + 20, 10_000, 'writes after the disk grew');
  } finally {
    await child.kill().catch(() => undefined);
  }
  const acked = Math.max(...child.acked());
  const { store } = await openTestStore(dataFile);
  try {
    const counter = Number(store.view.notes.get('counter')?.text);
    expect(counter).toBeGreaterThanOrEqual(acked);
    expect(store.view.items.find('group', 'crash').map((i) => i.rank)).toEqual(Array.from({ length: counter }, (_, i) => i + 1));
  } finally {
    await store.close();
  }
  expect(await segments()).toBe(0);
}, 60_000);

withChattr('writes refused while the data directory is immutable (chattr +i) succeed again once it is not, without a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tce-immutable-'));
  const data = join(dir, 'state.json');
  const agent = new Agent({ keepAlive: true });
  const create = async (name: string) => {
    const outcome = await callApi(agent, cli.url, 'CreateUser', { ZoneId: 'z-emulatordemo', UserName: name });
    return outcome.kind === 'answered' ? outcome.code : outcome.error;
  };
  let cli = await startCli(data);
  try {
    expect(await create('before')).toBe('Success');
    // The directory and the journal segment in it: neither a new file nor another byte.
    setImmutable(dir, true);
    for (const name of ['while1', 'while2']) expect(await create(name)).toBe('InternalError');
    setImmutable(dir, false);
    for (const name of ['after1', 'after2']) expect(await create(name)).toBe('Success');
    await kill(cli);
    cli = await startCli(data);
    const stored = await listUserNames(cli.url);
    expect(['before', 'while1', 'while2', 'after1', 'after2'].filter((n) => stored.has(n))).toEqual(['before', 'after1', 'after2']);
  } finally {
    agent.destroy();
    setImmutable(dir, false);
    await kill(cli);
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);
