import type { LoadStats } from './load.js';
import type { ScenarioId, ScenarioKind } from './scenarios.js';

/** One load run, as printed and as written to bench-results.json. */
export interface ScenarioResult extends LoadStats {
  id: ScenarioId;
  title: string;
  kind: ScenarioKind;
  /** Users in the zone when the run began. */
  users: number;
  /** perSecond / the baseline's perSecond. */
  ratioToBaseline: number;
  /** Largest event-loop delay inside the emulator during the run (null for the baseline). */
  eventLoopMaxMs: number | null;
  /** Peak resident memory of the server during the run (VmHWM), bytes. */
  peakRssBytes: number | null;
  /** Share of one core the server used during the run: near 100 means the server is the limit. */
  serverCpuPercent: number | null;
  /** The same for the load generator: near 100 means the numbers say more about it than the server. */
  loadGeneratorCpuPercent: number;
  /** Server CPU time (user + system) per answered request, µs; null off Linux. */
  serverUsPerRequest?: number | null;
  /** Reads and (b): the bare server measured in alternation with this scenario; ratioToBaseline is then the median of the rounds' ratios. */
  paired?: PairedBaseline;
  note?: string;
}

/**
 * A scenario measured in rounds, each a run of the bare server and a run of
 * the scenario (in alternating order), so a slow spell of a shared machine
 * lowers both sides of a ratio instead of one.
 */
export interface PairedBaseline {
  rounds: number;
  /** The bare server's requests/s over its runs in these rounds. */
  baselinePerSecond: number;
  /** Per round: the scenario's requests/s over the bare server's. */
  ratios: number[];
  /**
   * The bare server's CPU per request over the emulator's, in the same rounds:
   * what "x baseline" would be if both servers were the limit. It does not move
   * when the load generator's CPU runs slow (which caps the bare server first).
   */
  costRatio: number | null;
  /**
   * (f): a bare server answering with the very bytes the emulator answered
   * (a page of users), measured in the same rounds: how close the emulator
   * comes to what sending that answer costs at all. With the load generator
   * near 100% beside it, its rate is the most this machine's load generator
   * can take of that answer: the ceiling of any server here.
   */
  sameBody?: { bytes: number; baselinePerSecond: number; ratios: number[]; ratio: number; costRatio: number | null; loadGeneratorCpuPercent?: number; p99Ms?: number };
}

export interface SeedSummary {
  requested: number;
  created: number;
  seconds: number;
  perSecond: number;
  stoppedBy: string | null;
}

export interface SizeResult {
  users: number;
  /** Resident memory of the fresh emulator before seeding, bytes. */
  idleRssBytes: number | null;
  /** Resident memory once seeded, before any load, bytes. */
  seededIdleRssBytes: number | null;
  /** Peak resident memory over the emulator's whole life at this size (seeding included), bytes. */
  lifetimePeakRssBytes: number | null;
  /** Largest event-loop delay while seeding. */
  seedingEventLoopMaxMs: number | null;
  seeding: SeedSummary | null;
  scenarios: ScenarioResult[];
  /** Why the scenarios did not run at this size. */
  skipped: string | null;
  notes: string[];
}

export interface ColdStart {
  /** Every sample, ms. */
  emulatorMs: number[];
  baselineMs: number[];
  emulatorMedianMs: number;
  baselineMedianMs: number;
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  pinning: string;
  /** 1-minute load average before the run: well above 0 means someone else was using the machine. */
  loadAverageAtStart: number;
}

export interface Settings {
  durationS: number;
  /** Reads and (b) are measured in this many rounds alternating with the bare server, durationS split over them. */
  rounds: number;
  warmupS: number;
  connections: number;
  sizes: number[];
  seedConcurrency: number;
  seedBudgetS: number;
  /** What drives the fixed-request reads: wrk where it is installed (BENCH_GENERATOR=autocannon to force the other). */
  generator?: 'autocannon' | 'wrk';
}

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetResult {
  target: string;
  status: TargetStatus;
  detail: string;
}

export interface BenchReport {
  startedAt: string;
  machine: MachineInfo;
  settings: Settings;
  coldStart: ColdStart;
  /** Measured first; ratios use the mean of it and baselineEnd, to even out drift on a shared machine. */
  baseline: ScenarioResult;
  baselineEnd: ScenarioResult;
  /** The denominator of every ratioToBaseline. */
  baselinePerSecond: number;
  strict: ScenarioResult | null;
  sizes: SizeResult[];
  targets: TargetResult[];
}
