import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** What the emulator's process caps each of V8's two young-generation semi-spaces at, in MB. */
export const DEFAULT_SEMI_SPACE_MB = 4;

const SEMI_SPACE_FLAGS = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** Whether the process was started with its own young-generation settings, which then stand. */
export function youngGenerationConfigured(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return execArgv.some((arg) => SEMI_SPACE_FLAGS.test(arg)) || SEMI_SPACE_FLAGS.test(nodeOptions);
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Keeps V8's young generation at most ~`semiSpaceMb` per semi-space, as
 * `--max-semi-space-size` would, from inside the process: that flag is only
 * read at start-up (and a shebang cannot pass it portably), but V8 reads
 * `--semi-space-growth-factor` each time it grows the young generation. So
 * after each garbage collection the factor is 1 (no growth) once the young
 * generation has reached the cap, and V8's own 2 below it (it may have
 * shrunk it while idle). A growth between two checks can overshoot by one
 * doubling, never past V8's own maximum.
 *
 * Under sustained load V8 otherwise grows it to 16 MB per semi-space: ~30 MB
 * resident that a 4 MB cap saves for a few per cent of throughput on large
 * answers (a page of 100 users), and for none on small ones (measured in
 * `npm run bench`; see README "Performance").
 *
 * For the emulator's own process only (the CLI): a library must not change
 * its host's V8 settings. Returns a function that stops the checks.
 */
export function capYoungGeneration(semiSpaceMb = DEFAULT_SEMI_SPACE_MB): () => void {
  const capBytes = 2 * semiSpaceMb * 1024 * 1024;
  let growing = true;
  const check = (): void => {
    const shouldGrow = newSpaceBytes() < capBytes;
    if (shouldGrow === growing) return;
    growing = shouldGrow;
    v8.setFlagsFromString(`--semi-space-growth-factor=${shouldGrow ? 2 : 1}`);
  };
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => {
    observer.disconnect();
    if (!growing) v8.setFlagsFromString('--semi-space-growth-factor=2');
  };
}
