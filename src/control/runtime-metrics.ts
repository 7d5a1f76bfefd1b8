import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Sampling interval of the event-loop monitor. Fine enough that a 50 ms stall
 * (the benchmark's limit) is seen clearly; a timer every few milliseconds costs
 * nothing measurable.
 */
export const EVENT_LOOP_RESOLUTION_MS = 5;

export interface RuntimeMetricsSnapshot {
  memory: { rss: number; heapUsed: number };
  /**
   * How late the event loop ran a timer, in ms, since start or the last reset:
   * the time a request could not be served because something else held the loop.
   */
  eventLoopDelayMs: { max: number; p99: number; mean: number };
  /** ISO time the window above began. */
  since: string;
}

export interface RuntimeMetrics {
  snapshot(): RuntimeMetricsSnapshot;
  reset(): void;
  stop(): void;
}

const NS_PER_MS = 1e6;

/** Starts watching the event loop at once, so a benchmark sees start-up stalls too. */
export function startRuntimeMetrics(now: () => Date = () => new Date()): RuntimeMetrics {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  histogram.enable();
  let since = now();
  // Node records the whole interval between two timer ticks, so an idle loop reads
  // as the resolution itself; subtracting it leaves the delay.
  const delayMs = (ns: number) => (Number.isFinite(ns) && ns > 0 ? Math.max(0, ns / NS_PER_MS - EVENT_LOOP_RESOLUTION_MS) : 0);
  return {
    snapshot() {
      const { rss, heapUsed } = process.memoryUsage();
      // Before the first full interval the histogram is empty and its mean is NaN.
      const empty = histogram.count === 0;
      return {
        memory: { rss, heapUsed },
        eventLoopDelayMs: {
          max: empty ? 0 : delayMs(histogram.max),
          p99: empty ? 0 : delayMs(histogram.percentile(99)),
          mean: empty ? 0 : delayMs(histogram.mean),
        },
        since: since.toISOString(),
      };
    },
    reset() {
      histogram.reset();
      since = now();
    },
    stop() {
      histogram.disable();
    },
  };
}
