import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

/** What the emulator's process caps each of V8's two young-generation semi-spaces at, in MB. */
export const DEFAULT_SEMI_SPACE_MB = 4;

const SEMI_SPACE_FLAGS = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** Whether the process was started with its own young-generation settings, which then stand. */
export function youngGenerationConfigured(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return execArgv.some((arg) => SEMI_SPACE_FLAGS.test(arg)) || SEMI_SPACE_FLAGS.test(nodeOptions);
}

/** Bytes in use in the old generation (large objects included) from which the cap is lifted (see capYoungGeneration). */
export const LARGE_HEAP_BYTES = 64 * 1024 * 1024;

function heapSizes(): { young: number; old: number } {
  let young = 0;
  let old = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') young = space.space_size;
    else if (space.space_name === 'old_space' || space.space_name === 'large_object_space') old += space.space_used_size;
  }
  return { young, old };
}

function isFullCollection(entry: PerformanceEntry): boolean {
  return (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
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
 * Under sustained load V8 otherwise grows it to 16 MB per semi-space. A
 * 4 MB cap keeps ~15-25 MB less resident (measured under the bench's read
 * loads). It cost ~5-10% more CPU on a page of 100 users while pages were
 * built as one 32 kB string; since they are encoded into pooled buffers
 * (http/send-text.ts) 4, 8 and 16 MB measure alike, as small answers always
 * did. See README "Performance".
 *
 * The cap holds while the old generation uses less than LARGE_HEAP_BYTES
 * (some 60,000 users; 100,000 use ~100 MB). A large state pays for a small
 * young generation in throughput: what it promotes too early makes more full
 * collections, each marking the whole state (measured at 100,000 users: ~9%
 * more CPU a request), while those megabytes are a small part of its size.
 *
 * For the emulator's own process only (the CLI): a library must not change
 * its host's V8 settings. Returns a function that stops the checks.
 */
export function capYoungGeneration(semiSpaceMb = DEFAULT_SEMI_SPACE_MB): () => void {
  const capBytes = 2 * semiSpaceMb * 1024 * 1024;
  let growing = true;
  // What the old generation holds, read right after a full collection: in between, its size counts garbage too.
  let oldLive = 0;
  const check = (entries: readonly PerformanceEntry[]): void => {
    const { young, old } = heapSizes();
    if (entries.some(isFullCollection)) oldLive = old;
    const shouldGrow = young < capBytes || oldLive >= LARGE_HEAP_BYTES;
    if (shouldGrow === growing) return;
    growing = shouldGrow;
    v8.setFlagsFromString(`--semi-space-growth-factor=${shouldGrow ? 2 : 1}`);
  };
  const observer = new PerformanceObserver((list) => check(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  check([]);
  return () => {
    observer.disconnect();
    if (!growing) v8.setFlagsFromString('--semi-space-growth-factor=2');
  };
}
