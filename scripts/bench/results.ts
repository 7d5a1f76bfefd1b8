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
  note?: string;
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
  warmupS: number;
  connections: number;
  sizes: number[];
  seedConcurrency: number;
  seedBudgetS: number;
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
