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

/** Runs an allocating loop for a while in a fresh Node; returns the young generation's size at the end, in bytes. */
function youngGenerationAfterLoad(capMb: number | null, retainedMb = 0): number {
  const script = `
    import v8 from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    if (${capMb} !== null) capYoungGeneration(${capMb});
    // A state held for the process's life (about 100 bytes an object), built under the cap.
    const state = [];
    for (let i = 0; i < ${retainedMb} * 10000; i++) {
      state.push({ id: 'u-' + i, n: i });
      if (i % 10000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    let keep = [];
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      for (let i = 0; i < 2000; i++) keep.push({ i, text: 'x' + i, list: [i, i] });
      if (keep.length > 100000) keep = [];
      await new Promise((resolve) => setImmediate(resolve));
    }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size + state.length * 0));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout);
}

test('without the cap V8 grows the young generation past 8 MB under this load (the control)', () => {
  expect(youngGenerationAfterLoad(null)).toBeGreaterThan(8 * MB);
});

test('capped at 2 MB a semi-space, it stays within one doubling of 4 MB', () => {
  expect(youngGenerationAfterLoad(2)).toBeLessThanOrEqual(8 * MB);
});

test('with a large state held (old generation past LARGE_HEAP_BYTES) the cap is lifted and V8 grows it again', () => {
  expect(LARGE_HEAP_BYTES).toBeLessThan(150 * MB);
  expect(youngGenerationAfterLoad(2, 150)).toBeGreaterThan(8 * MB);
});

test('young-generation flags given to Node stand: the CLI then leaves them alone', () => {
  expect(youngGenerationConfigured([], '')).toBe(false);
  expect(youngGenerationConfigured(['--max-semi-space-size=16'], '')).toBe(true);
  expect(youngGenerationConfigured([], '--max_semi_space_size=8 --trace-gc')).toBe(true);
  expect(youngGenerationConfigured(['--semi-space-growth-factor', '4'], '')).toBe(true);
  expect(youngGenerationConfigured(['--max-old-space-size=512'], '--inspect')).toBe(false);
});
