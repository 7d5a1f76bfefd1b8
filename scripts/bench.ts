/**
 * npm run bench — throughput, latency, memory and start-up time of the compiled
 * emulator, each beside a bare node:http server on the same machine (the
 * baseline: what any Node HTTP server here can do at most). Both run as child
 * processes driven by autocannon; see README "Benchmarks" and BENCHMARKS.md.
 *
 *   npm run bench
 *   BENCH_SIZES=0,1000 BENCH_DURATION=3 npm run bench     # a quick run
 *
 * Targets are printed beside the results; they are not assertions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packagePath } from '../src/runtime/package-root.js';
import { agent, callApi, readMetrics, resetMetrics, send } from './bench/http-client.js';
import { wrkAvailable } from './bench/wrk.js';
import { combineRuns, runLoad, runLoadSamples, statusCheck, type LoadRun, type LoadSpec } from './bench/load.js';
import { cpuSeconds, installCleanup, makeTempDir, peakRss, pinCpus, removeTempDir, resetPeakRss, spawnServer, type Pinning, type ServerProcess } from './bench/processes.js';
import { formatReport } from './bench/report.js';
import type { BenchReport, ColdStart, MachineInfo, PairedBaseline, ScenarioResult, Settings, SizeResult } from './bench/results.js';
import { BASELINE, DEMO_ZONE, sizedScenarios, STRICT, type Scenario, type Target } from './bench/scenarios.js';
import { seedUsers } from './bench/seed.js';
import { evaluateTargets } from './bench/targets.js';

const EMULATOR_CLI = packagePath('dist', 'src', 'cli.js');
const BASELINE_SERVER = packagePath('dist', 'scripts', 'bench', 'baseline-server.js');
/** Users seeded at size 0 for the scenarios that rotate over users ((c), (e)). */
const HANDFUL = 16;
const COLD_START_SAMPLES = 5;
/** Raised so that seeding and (d)'s creations never meet the default quota of 1,000. */
const QUOTA_FLAGS = ['--max-users-per-zone', '10000000', '--max-groups-per-zone', '10000000', '--max-members-per-group', '10000000'];
const MB = 1024 * 1024;

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name}=${raw}: expected a number from ${min} to ${max}`);
  return value;
}

function readGenerator(): 'autocannon' | 'wrk' {
  const asked = process.env.BENCH_GENERATOR;
  if (asked !== undefined && asked !== '' && asked !== 'wrk' && asked !== 'autocannon') throw new Error(`BENCH_GENERATOR=${asked}: expected wrk or autocannon`);
  if (asked === 'autocannon') return 'autocannon';
  if (wrkAvailable()) return 'wrk';
  if (asked === 'wrk') throw new Error('BENCH_GENERATOR=wrk, but wrk is not installed (apt-get install wrk)');
  console.warn('wrk is not installed (apt-get install wrk): the reads are driven by autocannon, which saturates on large answers');
  return 'autocannon';
}

function readSettings(): Settings {
  const sizes = (process.env.BENCH_SIZES ?? '0,1000,10000,100000').split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new Error(`BENCH_SIZES: ${s} is not a whole number from 0 to 1000000`);
    return n;
  });
  return {
    durationS: envNumber('BENCH_DURATION', 5, 1, 600),
    rounds: envNumber('BENCH_ROUNDS', 3, 1, 20),
    warmupS: envNumber('BENCH_WARMUP', 1, 0, 60),
    connections: envNumber('BENCH_CONNECTIONS', 16, 1, 1024),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    seedConcurrency: envNumber('BENCH_SEED_CONCURRENCY', 64, 1, 1024),
    seedBudgetS: envNumber('BENCH_SEED_BUDGET', 1200, 1, 24 * 3600),
    generator: readGenerator(),
  };
}

function machineInfo(nproc: number, pinning: Pinning): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    nproc,
    cpuModel,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pinning: pinning.note,
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
}

/** Spawn to first successful HTTP answer, in ms. */
async function timeToFirstAnswer(script: string, args: string[], probePath: string, cpu: number | null): Promise<number> {
  const started = performance.now();
  const server = await spawnServer(script, args, cpu);
  try {
    // The server says it listens just before it can answer; a few tries cover the gap.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const answer = await send('GET', `${server.url}${probePath}`, {}, undefined, 5_000).catch(() => null);
      if (answer?.status === 200) return performance.now() - started;
      await sleep(2);
    }
    throw new Error(`${script} listened but never answered ${probePath}`);
  } finally {
    await server.stop();
  }
}

async function measureColdStart(pinning: Pinning): Promise<ColdStart> {
  const emulatorMs: number[] = [];
  const baselineMs: number[] = [];
  // Alternating, so a burst of noise on the machine hits both alike.
  for (let i = 0; i < COLD_START_SAMPLES; i++) {
    emulatorMs.push(await timeToFirstAnswer(EMULATOR_CLI, ['--in-memory', '--port', '0', '--log-level', 'error'], '/_emulator/health', pinning.server));
    baselineMs.push(await timeToFirstAnswer(BASELINE_SERVER, ['0'], '/', pinning.server));
  }
  return { emulatorMs, baselineMs, emulatorMedianMs: median(emulatorMs), baselineMedianMs: median(baselineMs) };
}

interface Emulator {
  server: ServerProcess;
  dir: string;
  close(): Promise<void>;
}

async function startEmulator(auth: 'permissive' | 'strict', pinning: Pinning): Promise<Emulator> {
  const dir = makeTempDir('tce-bench-');
  const args = ['--port', '0', '--host', '127.0.0.1', '--log-level', 'error', '--auth', auth, '--data', join(dir, 'emulator.json'), ...QUOTA_FLAGS];
  const server = await spawnServer(EMULATOR_CLI, args, pinning.server);
  return {
    server,
    dir,
    close: async () => {
      await server.stop();
      removeTempDir(dir);
    },
  };
}

const hostOf = (url: string) => new URL(url).host;

interface RunContext {
  settings: Settings;
  baselinePerSecond: number;
  /** The bare server the reads alternate with; up from the first baseline to the last. */
  pairedBaseline: ServerProcess | null;
  pinning: Pinning;
}

/** A bare server to alternate with: the small-body one, or one sending `sameBody`'s bytes. */
interface Comparison {
  server: ServerProcess;
  sameBodyBytes?: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * One server's runs in a scenario's rounds, with the CPU it and the load
 * generator (this process) used in them.
 */
class Side {
  readonly runs: LoadRun[] = [];
  /** Null once a reading failed (off Linux). */
  private serverCpuS: number | null = 0;
  private ownCpuUs = 0;
  private wallS = 0;

  constructor(
    private readonly pid: number,
    private readonly spec: Omit<LoadSpec, 'durationS'>,
  ) {}

  async run(durationS: number): Promise<void> {
    const serverBefore = cpuSeconds(this.pid);
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const run = await runLoadSamples({ ...this.spec, durationS });
    this.runs.push(run);
    this.wallS += (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    this.ownCpuUs += run.generatorCpuUs ?? own.user + own.system;
    const serverAfter = cpuSeconds(this.pid);
    this.serverCpuS = serverBefore === null || serverAfter === null || this.serverCpuS === null ? null : this.serverCpuS + (serverAfter - serverBefore);
  }

  serverCpuPercent(): number | null {
    return this.serverCpuS === null ? null : (100 * this.serverCpuS) / this.wallS;
  }

  /** Server CPU time (user + system) per answered request, µs. */
  serverUsPerRequest(): number | null {
    const requests = this.runs.reduce((n, r) => n + r.stats.requests, 0);
    return this.serverCpuS === null || requests === 0 ? null : (this.serverCpuS * 1e6) / requests;
  }

  loadGeneratorCpuPercent(): number {
    return (100 * this.ownCpuUs) / 1e6 / this.wallS;
  }
}

/**
 * One scenario: warm-up (not counted), then measured runs with fresh
 * event-loop and peak-RSS windows. A write is one run. A read (and (b)) is
 * `rounds` runs, each beside a run of every comparison server, the order
 * flipped every round (ABBA), so drift in the machine's speed cancels out of
 * the ratios instead of landing on whichever ran in a slow spell.
 */
async function measure(ctx: RunContext, server: ServerProcess, scenario: Scenario, target: Target, users: number, isEmulator: boolean, comparisons: readonly Comparison[] = []): Promise<ScenarioResult> {
  const load = scenario.load(target);
  const generator = ctx.settings.generator ?? 'autocannon';
  const spec = { ...load, url: server.url, connections: ctx.settings.connections, generator };
  const against = (c: Comparison) => ({ ...load, check: statusCheck(200), url: c.server.url, connections: ctx.settings.connections, generator });
  if (ctx.settings.warmupS > 0) {
    await runLoad({ ...spec, durationS: ctx.settings.warmupS });
    for (const c of comparisons) await runLoad({ ...against(c), durationS: ctx.settings.warmupS });
  }
  const rounds = comparisons.length > 0 ? ctx.settings.rounds : 1;
  const runS = comparisons.length > 0 ? Math.max(1, Math.round(ctx.settings.durationS / rounds)) : ctx.settings.durationS;
  if (isEmulator) await resetMetrics(server.url);
  const peakReset = resetPeakRss(server.pid);
  const measured = new Side(server.pid, spec);
  // Each bare server with its own CPU (CPU per request does not depend on how fast the load generator's CPU ran)
  // and the load generator's beside it (near 100%, the load generator, not that server, set its rate).
  const bare = comparisons.map((c) => new Side(c.server.pid, against(c)));
  const comparisonRuns = async () => {
    for (const side of bare) await side.run(runS);
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await comparisonRuns();
      await measured.run(runS);
    } else {
      await measured.run(runS);
      await comparisonRuns();
    }
  }
  const { runs } = measured;
  const stats = combineRuns(runs);
  const metrics = isEmulator ? await readMetrics(server.url) : null;
  const pairedRatios = (side: Side) => runs.map((r, i) => r.stats.perSecond / side.runs[i]!.stats.perSecond);
  const serverUsPerRequest = measured.serverUsPerRequest();
  /** The bare server's CPU per request over this one's: what the throughput ratio would be if both servers were the limit. */
  const costRatio = (side: Side): number | null => {
    const bareUs = side.serverUsPerRequest();
    return bareUs === null || serverUsPerRequest === null ? null : bareUs / serverUsPerRequest;
  };
  const sameBody = (side: Side, bytes: number): NonNullable<PairedBaseline['sameBody']> => {
    const combined = combineRuns(side.runs);
    const ratios = pairedRatios(side);
    return {
      bytes,
      baselinePerSecond: combined.perSecond,
      p99Ms: combined.p99Ms,
      ratios,
      ratio: median(ratios),
      costRatio: costRatio(side),
      loadGeneratorCpuPercent: side.loadGeneratorCpuPercent(),
    };
  };
  const paired: PairedBaseline | undefined =
    bare[0] === undefined
      ? undefined
      : {
          rounds,
          baselinePerSecond: combineRuns(bare[0].runs).perSecond,
          ratios: pairedRatios(bare[0]),
          costRatio: costRatio(bare[0]),
          ...(comparisons[1]?.sameBodyBytes === undefined || bare[1] === undefined ? {} : { sameBody: sameBody(bare[1], comparisons[1].sameBodyBytes) }),
        };
  const result: ScenarioResult = {
    id: scenario.id,
    title: scenario.title,
    kind: scenario.kind,
    users,
    ...stats,
    ratioToBaseline: paired ? median(paired.ratios) : ctx.baselinePerSecond > 0 ? stats.perSecond / ctx.baselinePerSecond : 1,
    eventLoopMaxMs: metrics?.eventLoopDelayMs.max ?? null,
    peakRssBytes: peakRss(server.pid),
    serverCpuPercent: measured.serverCpuPercent(),
    serverUsPerRequest,
    loadGeneratorCpuPercent: measured.loadGeneratorCpuPercent(),
    ...(paired ? { paired } : {}),
    ...(peakReset ? {} : { note: 'peak RSS since start (VmHWM could not be reset)' }),
  };
  const loop = result.eventLoopMaxMs === null ? '' : `, loop max ${result.eventLoopMaxMs.toFixed(1)} ms`;
  const failures = result.failures > 0 ? `, ${result.failures} FAILED (${result.firstFailure ?? ''})` : '';
  const cpu = `CPU server ${result.serverCpuPercent?.toFixed(0) ?? '-'}% / load generator ${result.loadGeneratorCpuPercent.toFixed(0)}%`;
  const versus = paired
    ? ` against the bare server's ${paired.baselinePerSecond.toFixed(0)} req/s in ${rounds} alternating rounds${paired.costRatio === null ? '' : `, ${paired.costRatio.toFixed(2)}x by server CPU per request`}${paired.sameBody ? `; ${paired.sameBody.ratio.toFixed(2)}x a bare server sending the same ${(paired.sameBody.bytes / 1024).toFixed(1)} kB (${paired.sameBody.baselinePerSecond.toFixed(0)} req/s, load generator ${paired.sameBody.loadGeneratorCpuPercent?.toFixed(0) ?? '-'}%)` : ''}`
    : '';
  console.log(
    `  (${scenario.id}) ${scenario.title}: ${result.perSecond.toFixed(0)} req/s (${result.ratioToBaseline.toFixed(2)}x${versus}), p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(1)} ms${loop}, peak RSS ${((result.peakRssBytes ?? 0) / MB).toFixed(0)} MB, ${cpu}${failures}`,
  );
  return result;
}

/**
 * The bare servers a scenario alternates with: the small-body baseline for
 * every read and (b), and for a large-answer scenario also one sending the
 * emulator's own answer to that request, taken once now.
 */
async function comparisonsFor(ctx: RunContext, server: ServerProcess, scenario: Scenario, target: Target, dir: string): Promise<{ list: Comparison[]; stop(): Promise<void> }> {
  // Writes too: without the bare server's CPU in the same rounds, a slow spell of the machine during the 100,000-user writes, which run last, passed for a cost of size.
  if (ctx.pairedBaseline === null) return { list: [], stop: async () => undefined };
  const list: Comparison[] = [{ server: ctx.pairedBaseline }];
  if (!scenario.sameBodyBaseline) return { list, stop: async () => undefined };
  const source = scenario.load(target).source;
  const request = source.kind === 'fixed' ? source.build()[0]! : source.next();
  const answer = await send(request.method, `${server.url}${request.path}`, request.headers, request.body);
  const bodyFile = join(dir, `same-body-${scenario.id}.json`);
  writeFileSync(bodyFile, answer.text);
  const sameBody = await spawnServer(BASELINE_SERVER, ['0', bodyFile], ctx.pinning.server);
  list.push({ server: sameBody, sameBodyBytes: Buffer.byteLength(answer.text) });
  return { list, stop: () => sameBody.stop() };
}

/** The bare server under the same load as (a). */
async function measureBaseline(ctx: RunContext, pinning: Pinning): Promise<ScenarioResult> {
  const server = await spawnServer(BASELINE_SERVER, ['0'], pinning.server);
  try {
    const target: Target = { host: hostOf(server.url), zoneId: DEMO_ZONE, userIds: [], userNames: [], scimToken: '' };
    return await measure(ctx, server, BASELINE, target, 0, false);
  } finally {
    await server.stop();
  }
}

async function enableScim(base: string): Promise<string> {
  await callApi(base, 'UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE, SCIMSynchronizationStatus: 'Enabled' });
  return String((await callApi(base, 'CreateSCIMCredential', { ZoneId: DEMO_ZONE })).CredentialSecret);
}

/** A size with nothing measured yet (or never to be, when `skipped` says why). */
function emptySizeResult(users: number, skipped: string | null): SizeResult {
  return {
    users,
    idleRssBytes: null,
    seededIdleRssBytes: null,
    lifetimePeakRssBytes: null,
    seedingEventLoopMaxMs: null,
    seeding: null,
    scenarios: [],
    skipped,
    notes: [],
  };
}

/** A fresh file-backed emulator with `users` users; runs (a), (f), (e), (c), (d) against it. */
async function runSize(ctx: RunContext, users: number, pinning: Pinning): Promise<SizeResult> {
  const result = emptySizeResult(users, null);
  console.log(`\n${users.toLocaleString('en-US')} users`);
  const emulator = await startEmulator('permissive', pinning);
  const { server } = emulator;
  const peaks: number[] = [];
  const notePeak = () => {
    const peak = peakRss(server.pid);
    if (peak !== null) peaks.push(peak);
  };
  try {
    await sleep(500);
    result.idleRssBytes = (await readMetrics(server.url)).memory.rss;
    notePeak();
    const scimToken = await enableScim(server.url);
    const seedOptions = {
      concurrency: ctx.settings.seedConcurrency,
      budgetMs: ctx.settings.seedBudgetS * 1000,
      requestTimeoutMs: 120_000,
      log: (line: string) => console.log(line),
    };

    resetPeakRss(server.pid);
    await resetMetrics(server.url);
    const seeded = await seedUsers(server.url, DEMO_ZONE, users, seedOptions);
    result.seedingEventLoopMaxMs = (await readMetrics(server.url)).eventLoopDelayMs.max;
    notePeak();
    result.seeding = { requested: users, created: seeded.userIds.length, seconds: seeded.seconds, perSecond: seeded.perSecond, stoppedBy: seeded.stoppedBy };
    if (users > 0) {
      console.log(
        `  seeded ${seeded.userIds.length.toLocaleString('en-US')} users in ${seeded.seconds.toFixed(1)} s (${seeded.perSecond.toFixed(0)}/s, ${seedOptions.concurrency} in flight), event loop max ${result.seedingEventLoopMaxMs.toFixed(0)} ms`,
      );
    }
    if (seeded.stoppedBy !== null) {
      result.skipped = seeded.stoppedBy;
      console.log(`  skipped: ${seeded.stoppedBy}`);
      return result;
    }
    await sleep(500);
    result.seededIdleRssBytes = (await readMetrics(server.url)).memory.rss;

    const target: Target = { host: hostOf(server.url), zoneId: DEMO_ZONE, userIds: seeded.userIds, userNames: seeded.userNames, scimToken };
    for (const scenario of sizedScenarios()) {
      const seededForIt = scenario.needsUsers && users === 0;
      if (scenario.needsUsers && target.userIds.length === 0) {
        // An empty zone has nobody to update or look up: give these scenarios the
        // smallest zone they can run in, after the reads that do run empty.
        const few = await seedUsers(server.url, DEMO_ZONE, HANDFUL, seedOptions);
        if (few.stoppedBy !== null) throw new Error(few.stoppedBy);
        target.userIds = few.userIds;
        target.userNames = few.userNames;
        const text = `(c) and (e) at 0 users run against ${HANDFUL} users seeded for them after (a) and (f)`;
        result.notes.push(text);
        console.log(`  note: ${text}`);
      }
      const comparisons = await comparisonsFor(ctx, server, scenario, target, emulator.dir);
      let measured: ScenarioResult;
      try {
        measured = await measure(ctx, server, scenario, target, users, true, comparisons.list);
      } finally {
        await comparisons.stop();
      }
      if (seededForIt) measured.note = `${HANDFUL} users seeded for this scenario`;
      result.scenarios.push(measured);
      if (measured.peakRssBytes !== null) peaks.push(measured.peakRssBytes);
    }
  } catch (error) {
    result.skipped = `stopped by an error: ${(error as Error).message}`;
    console.log(`  stopped: ${(error as Error).message}\n${server.stderrTail()}`);
  } finally {
    notePeak();
    result.lifetimePeakRssBytes = peaks.length > 0 ? Math.max(...peaks) : null;
    await emulator.close();
  }
  return result;
}

async function main(): Promise<void> {
  installCleanup();
  const settings = readSettings();
  // Read before pinning: afterwards this process sees only its one CPU.
  const nproc = availableParallelism();
  const pinning = pinCpus();
  const machine = machineInfo(nproc, pinning);
  const startedAt = new Date().toISOString();
  console.log(`tencentcloud-emulator benchmark: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}; ${pinning.note}`);
  if (machine.loadAverageAtStart > 0.5) {
    console.log(`note: load average ${machine.loadAverageAtStart.toFixed(1)} before the run: other work on this machine will show in the numbers`);
  }
  console.log(
    `${settings.generator ?? 'autocannon'} for fixed reads (autocannon for writes), ${settings.connections} connections, ${settings.durationS} s per scenario (+${settings.warmupS} s warm-up); sizes ${settings.sizes.join(', ')} users`,
  );

  console.log('\ncold start');
  const coldStart = await measureColdStart(pinning);
  console.log(
    `  emulator ${coldStart.emulatorMedianMs.toFixed(0)} ms, bare node:http ${coldStart.baselineMedianMs.toFixed(0)} ms (median of ${COLD_START_SAMPLES}; samples ${coldStart.emulatorMs.map((v) => v.toFixed(0)).join('/')} and ${coldStart.baselineMs.map((v) => v.toFixed(0)).join('/')})`,
  );

  console.log('\nbaseline');
  const ctx: RunContext = { settings, baselinePerSecond: 0, pairedBaseline: null, pinning };
  const baseline = await measureBaseline(ctx, pinning);
  // Stays up (idle between its runs) for the reads to alternate with.
  ctx.pairedBaseline = await spawnServer(BASELINE_SERVER, ['0'], pinning.server);
  // Ratios printed while running are against this first baseline; the table uses the mean of both.
  ctx.baselinePerSecond = baseline.perSecond;

  console.log('\nstrict signatures (0 users)');
  let strict: ScenarioResult | null = null;
  const strictEmulator = await startEmulator('strict', pinning);
  try {
    const target: Target = { host: hostOf(strictEmulator.server.url), zoneId: DEMO_ZONE, userIds: [], userNames: [], scimToken: '' };
    const comparisons = await comparisonsFor(ctx, strictEmulator.server, STRICT, target, strictEmulator.dir);
    strict = await measure(ctx, strictEmulator.server, STRICT, target, 0, true, comparisons.list);
  } finally {
    await strictEmulator.close();
  }

  const sizes: SizeResult[] = [];
  for (const users of settings.sizes) {
    const previous = sizes.at(-1);
    if (previous?.skipped) {
      // A larger zone would only take longer to fail.
      sizes.push(emptySizeResult(users, `not run: ${previous.users.toLocaleString('en-US')} users could not be done`));
      continue;
    }
    sizes.push(await runSize(ctx, users, pinning));
  }

  await ctx.pairedBaseline.stop();
  ctx.pairedBaseline = null;

  console.log('\nbaseline again');
  const baselineEnd = await measureBaseline(ctx, pinning);
  const baselinePerSecond = (baseline.perSecond + baselineEnd.perSecond) / 2;
  // Reads and (b) keep their paired ratios; the rest are against the mean of the two baselines.
  for (const r of [baseline, baselineEnd, ...(strict ? [strict] : []), ...sizes.flatMap((size) => size.scenarios)]) {
    if (!r.paired) r.ratioToBaseline = r.perSecond / baselinePerSecond;
  }

  const partial = { startedAt, machine, settings, coldStart, baseline, baselineEnd, baselinePerSecond, strict, sizes };
  const report: BenchReport = { ...partial, targets: evaluateTargets(partial) };
  console.log(formatReport(report));
  const output = resolve(process.env.BENCH_OUTPUT ?? 'bench-results.json');
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults written to ${output}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    agent.destroy();
    // Children and temp dirs are removed by the exit handler.
    process.exit();
  });
