/**
 * Graceful shutdown of the real CLI process: every request it accepted gets its
 * answer, every acknowledged write is there after a restart, and no write is
 * saved without its answer.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi as call, describeIdentityCenter, listUserNames, startCli } from '../helpers/cli-process.js';
import { TMPFS_UNAVAILABLE, mountTmpfs, testIf } from '../helpers/full-disk.js';
import { Ledger, createUsers, kill, restartAndCheck, startOn } from '../helpers/full-disk-rounds.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tce-shutdown-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('SIGTERM under write load: every accepted request is answered, exit 0, and the restart holds exactly the acknowledged writes', async () => {
  const data = join(dir, 'state.json');
  const first = await startCli(data);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const names = Array.from({ length: 400 }, (_, i) => `load${i}`);
  let answered = 0;
  const outcomes = names.map((name) =>
    call(agent, first.url, 'CreateUser', { ZoneId: 'z-emulatordemo', UserName: name }).then((o) => {
      if (o.kind === 'answered') answered += 1;
      // Signal once the load is well under way, with many requests in flight.
      if (answered === 40) first.child.kill('SIGTERM');
      return o;
    }),
  );
  const results = await Promise.all(outcomes);
  agent.destroy();
  expect(await first.exit).toBe(0);

  const acknowledged = names.filter((_, i) => results[i]!.kind === 'answered' && (results[i] as { code: string }).code === 'Success');
  const unanswered = names.filter((_, i) => results[i]!.kind === 'network');
  expect(acknowledged.length).toBeGreaterThanOrEqual(40);

  const second = await startCli(data);
  try {
    const stored = await listUserNames(second.url);
    // Every acknowledged write survived; no write was saved without its answer reaching the client.
    for (const name of acknowledged) expect(stored).toContain(name);
    for (const name of unanswered) expect(stored).not.toContain(name);
  } finally {
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }
});

test('a second signal exits at once; what was acknowledged is still there', async () => {
  const data = join(dir, 'state.json');
  const first = await startCli(data);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const ok = await call(agent, first.url, 'UpdateZone', { ZoneId: 'z-emulatordemo', NewZoneName: 'acknowledged-before-signals' });
  expect(ok).toEqual({ kind: 'answered', code: 'Success' });
  agent.destroy();
  first.child.kill('SIGINT');
  first.child.kill('SIGINT');
  const code = await first.exit;
  expect([0, 130]).toContain(code);
  const second = await startCli(data);
  try {
    const res = await describeIdentityCenter(second.url);
    expect(res).toContain('acknowledged-before-signals');
  } finally {
    second.child.kill('SIGTERM');
    await second.exit;
  }
});

testIf(TMPFS_UNAVAILABLE, 'final-snapshot test (it mounts a small tmpfs, which needs root)')(
  'SIGTERM when the final snapshot does not fit exits 1 with one line saying the journal holds every change, releases the lock, and the restart has every write',
  async () => {
    const disk = await mountTmpfs('1m');
    try {
      const ledger = new Ledger();
      const cli = await startOn(disk);
      expect(await createUsers(cli, ledger, { max: 5 })).toEqual({ acked: 5, refused: 0 });
      disk.fill();
      cli.child.kill('SIGTERM');
      expect(await cli.exit).toBe(1);
      expect(cli.stderr().trim().split('\n')).toEqual([
        expect.stringMatching(/^tencentcloud-emulator: the final snapshot could not be written to \S+state\.json \(ENOSPC[^)]*\); the journal beside it holds every acknowledged change, and the next start replays it$/),
      ]);
      expect(await readdir(disk.dir)).not.toContain('state.json.lock');
      disk.free();
      await kill(await restartAndCheck(disk, ledger));
    } finally {
      await disk.remove();
    }
  },
);
