/**
 * The CLI keeps V8's young generation small (src/runtime/young-generation.ts):
 * checked in child processes that allocate the way a loaded server does
 * (most objects short-lived, some surviving a while), with and without the cap.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../../src/runtime/package-root.js';
import { LARGE_HEAP_BYTES, youngGenerationConfigured } from '../../src/runtime/young-generation.js';

const MODULE = pathToFileURL(packagePath('dist', 'src', 'runtime', 'young-generation.js')).href;
const MB = 1024 * 1024;

/**
 * Runs an allocating loop in a fresh Node; returns the young generation's
 * size at the end, in bytes. Bounded by allocation, not by time (a loaded CI
 * machine runs fewer rounds a second, and V8 grows the young generation by
 * what survives its collections, not by the clock): `rounds` rounds, or fewer
 * once the young generation is past `stopAbove` bytes.
 */
function youngGenerationAfterLoad(capMb: number | null, options: { retainedMb?: number; rounds?: number; stopAbove?: number } = {}): number {
  const { retainedMb = 0, rounds = ROUNDS, stopAbove = Infinity } = options;
  const script = `
    import v8 from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    if (${capMb} !== null) capYoungGeneration(${capMb});
    // A state held for the process's life (about 100 bytes an object), built under the cap.
    const state = [];
    for (let i = 0; i < ${retainedMb} * 10000; i++) {
      state.push({ id: 'u-' + i, n: i });
      if (i % 10000 === 0) await turn();
    }
    if (state.length > 0) {
      // The full collection after which the cap looks at the old generation; its observer runs on a later turn.
      globalThis.gc();
      await turn();
      await turn();
    }
    let keep = [];
    for (let round = 0; round < ${rounds} && young() <= ${stopAbove}; round++) {
      for (let i = 0; i < 2000; i++) keep.push({ i, text: 'x' + i, list: [i, i] });
      if (keep.length > 100000) keep = [];
      await turn();
    }
    process.stdout.write(String(young() + state.length * 0));
  `;
  const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout);
}

/** Rounds of 2,000 objects: the uncapped young generation passes 8 MB within ~20 of them. */
const ROUNDS = 1000;

test('without the cap V8 grows the young generation past 8 MB under this load (the control)', () => {
  expect(youngGenerationAfterLoad(null, { stopAbove: 8 * MB })).toBeGreaterThan(8 * MB);
});

test('capped at 2 MB a semi-space, it stays within one doubling of 4 MB', () => {
  expect(youngGenerationAfterLoad(2)).toBeLessThanOrEqual(8 * MB);
});

test('with a large state held (old generation past LARGE_HEAP_BYTES) the cap is lifted and V8 grows it again', () => {
  expect(LARGE_HEAP_BYTES).toBeLessThan(150 * MB);
  expect(youngGenerationAfterLoad(2, { retainedMb: 150, stopAbove: 8 * MB })).toBeGreaterThan(8 * MB);
});

test('young-generation flags given to Node stand: the CLI then leaves them alone', () => {
  expect(youngGenerationConfigured([], '')).toBe(false);
  expect(youngGenerationConfigured(['--max-semi-space-size=16'], '')).toBe(true);
  expect(youngGenerationConfigured([], '--max_semi_space_size=8 --trace-gc')).toBe(true);
  expect(youngGenerationConfigured(['--semi-space-growth-factor', '4'], '')).toBe(true);
  expect(youngGenerationConfigured(['--max-old-space-size=512'], '--inspect')).toBe(false);
});
