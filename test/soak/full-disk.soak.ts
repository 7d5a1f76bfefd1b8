// The full-disk rounds of test/store/full-disk.test.ts, many times over and at
// random: how much to write while full, how many writers, whether the kill
// comes while the disk is full, and kills in the middle of a burst of writes.
// Not part of `npm test`: run it with `npm run test:soak`
// (TCE_SOAK_ROUNDS, default 30; TCE_SOAK_SEED repeats a run).
import { TMPFS_UNAVAILABLE, mountTmpfs, testIf } from '../helpers/full-disk.js';
import { Ledger, createUsers, fullDiskRound, kill, restartAndCheck, startOn } from '../helpers/full-disk-rounds.js';

const ROUNDS = Number(process.env.TCE_SOAK_ROUNDS ?? 30);
const SEED = Number(process.env.TCE_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

testIf(TMPFS_UNAVAILABLE, 'full-disk soak (it mounts a small tmpfs, which needs root)')(
  `${ROUNDS} random full-disk rounds on a 2 MB tmpfs lose no acknowledged write (TCE_SOAK_SEED=${SEED})`,
  async () => {
    const next = random(SEED);
    const disk = await mountTmpfs('2m');
    const ledger = new Ledger();
    let cli = await startOn(disk);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const parallel = 1 + Math.floor(next() * 6);
        if (next() < 0.5) {
          cli = await fullDiskRound(disk, cli, ledger, { refusals: 1 + Math.floor(next() * 30), killWhileFull: next() < 0.5, parallel });
          continue;
        }
        // A burst of writes with the disk filling under it, killed at a random moment.
        const burst = createUsers(cli, ledger, { max: 2000, parallel });
        await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 100)));
        disk.fill();
        await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 200)));
        await kill(cli);
        await burst;
        disk.free();
        cli = await restartAndCheck(disk, ledger);
      }
    } finally {
      await kill(cli).catch(() => undefined);
      await disk.remove();
    }
    expect(ledger.acked.size).toBeGreaterThan(ROUNDS);
  },
  20 * 60_000,
);
