import type { BenchReport, ScenarioResult } from './results.js';

const MB = 1024 * 1024;
const mb = (bytes: number | null) => (bytes === null ? '-' : (bytes / MB).toFixed(0));
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
const count = (n: number) => n.toLocaleString('en-US');

function row(r: ScenarioResult, meanBaseline: number, label?: string): string {
  const sameBody = r.paired?.sameBody;
  return [
    r.id === 'baseline' ? '-' : count(r.users),
    label ?? (r.id === 'baseline' ? 'baseline' : `(${r.id}) ${r.title}`),
    r.perSecond.toFixed(0),
    r.id === 'baseline' ? '-' : (r.paired?.baselinePerSecond ?? meanBaseline).toFixed(0),
    r.ratioToBaseline.toFixed(2),
    r.paired?.costRatio == null ? '-' : r.paired.costRatio.toFixed(2),
    sameBody ? `${sameBody.ratio.toFixed(2)} (${(sameBody.bytes / 1024).toFixed(1)} kB)${sameBody.costRatio == null ? '' : `; CPU ${sameBody.costRatio.toFixed(2)}`}${sameBody.loadGeneratorCpuPercent === undefined ? '' : `; load gen. ${sameBody.loadGeneratorCpuPercent.toFixed(0)}%`}` : '-',
    ms(r.p50Ms),
    ms(r.p99Ms),
    ms(r.maxMs),
    r.eventLoopMaxMs === null ? '-' : ms(r.eventLoopMaxMs),
    mb(r.peakRssBytes),
    r.serverCpuPercent === null ? '-' : r.serverCpuPercent.toFixed(0),
    r.serverUsPerRequest == null ? '-' : r.serverUsPerRequest.toFixed(0),
    r.loadGeneratorCpuPercent.toFixed(0),
    r.failures === 0 ? '0' : `${r.failures}: ${r.firstFailure ?? ''}`.slice(0, 90),
  ].join(' | ');
}

/** The closing summary: a markdown table (pastes into BENCHMARKS.md) and the targets. */
export function formatReport(report: BenchReport): string {
  const { machine, settings, coldStart } = report;
  const lines: string[] = [];
  lines.push('');
  lines.push(`## tencentcloud-emulator benchmark, ${report.startedAt}`);
  lines.push('');
  lines.push(`machine: ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${machine.pinning}; load average ${machine.loadAverageAtStart.toFixed(1)} before the run`);
  lines.push(`load: autocannon, ${settings.connections} connections, ${settings.durationS} s per scenario after ${settings.warmupS} s warm-up; emulator file-backed, --log-level error`);
  lines.push('');
  lines.push(
    `cold start (spawn to first HTTP answer, median of ${coldStart.emulatorMs.length}): emulator ${coldStart.emulatorMedianMs.toFixed(0)} ms, bare node:http ${coldStart.baselineMedianMs.toFixed(0)} ms`,
  );
  lines.push('');
  lines.push(`baseline: ${report.baseline.perSecond.toFixed(0)} req/s at the start, ${report.baselineEnd.perSecond.toFixed(0)} at the end, ${report.baselinePerSecond.toFixed(0)} req/s on average`);
  lines.push(
    `"x baseline": every scenario is measured in ${report.settings.rounds} rounds alternating with the bare server (ABBA order); the figure is the median of the rounds' ratios and "baseline req/s" the bare server's rate in those rounds ((c) signs every request, so beside it the bare server runs at the load generator's pace: read (c) by CPU). "x baseline by CPU": the bare server's CPU per request over the emulator's in those rounds (what "x baseline" would be with both servers the limit; unmoved when the load generator's CPU runs slow). "x same body": (f) against a bare server sending the emulator's own answer, with the load generator's CPU beside that server (near 100%: parsing the answers, not the server, set its rate).`,
  );
  const spread = Math.abs(report.baseline.perSecond - report.baselineEnd.perSecond) / report.baselinePerSecond;
  if (spread > 0.25) {
    lines.push(`WARNING: the two baselines differ by ${(spread * 100).toFixed(0)}%: the machine was busy with something else; ratios are rough`);
  }
  lines.push('');
  lines.push('| users | scenario | req/s | baseline req/s | x baseline | x baseline by CPU | x same body | p50 ms | p99 ms | max ms | loop max ms | peak RSS MB | server CPU % | server µs/req | load gen. CPU % | failed |');
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const mean = report.baselinePerSecond;
  lines.push(`| ${row(report.baseline, mean, 'baseline (start)')} |`);
  lines.push(`| ${row(report.baselineEnd, mean, 'baseline (end)')} |`);
  if (report.strict) lines.push(`| ${row(report.strict, mean)} |`);
  for (const size of report.sizes) {
    for (const r of size.scenarios) lines.push(`| ${row(r, mean)} |`);
  }
  lines.push('');
  lines.push('| users | seeded | seeding rate /s | loop max while seeding ms | RSS fresh MB | RSS seeded MB | peak RSS MB | note |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const size of report.sizes) {
    const seeding = size.seeding;
    const notes = [size.skipped ? `skipped: ${size.skipped}` : '', ...size.notes].filter(Boolean).join(' ');
    lines.push(
      `| ${count(size.users)} | ${seeding ? count(seeding.created) : '-'} | ${seeding && seeding.created > 0 ? seeding.perSecond.toFixed(0) : '-'} | ${size.seedingEventLoopMaxMs === null ? '-' : ms(size.seedingEventLoopMaxMs)} | ${mb(size.idleRssBytes)} | ${mb(size.seededIdleRssBytes)} | ${mb(size.lifetimePeakRssBytes)} | ${notes} |`,
    );
  }
  lines.push('');
  lines.push('targets (issue 8; reported, not asserted):');
  const width = Math.max(...report.targets.map((t) => t.target.length));
  for (const t of report.targets) {
    const mark = t.status === 'met' ? 'met         ' : t.status === 'not met' ? 'NOT MET     ' : 'not measured';
    lines.push(`  ${mark}  ${t.target.padEnd(width)}  ${t.detail}`);
  }
  return lines.join('\n');
}
