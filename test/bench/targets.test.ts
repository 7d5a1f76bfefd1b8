/**
 * The bench's verdict on the issue-8 targets (scripts/bench/targets.ts), on
 * made-up runs: which figure each target reads, and what it compares with.
 */
import type { BenchReport, ScenarioResult, SizeResult } from '../../scripts/bench/results.js';
import type { ScenarioId, ScenarioKind } from '../../scripts/bench/scenarios.js';
import { evaluateTargets } from '../../scripts/bench/targets.js';

const MB = 1024 * 1024;

function run(id: ScenarioId, users: number, perSecond: number, ratio?: number): ScenarioResult {
  const kind: ScenarioKind = id === 'c' || id === 'd' ? 'write' : id === 'b' ? 'strict' : 'read';
  return {
    id,
    title: id,
    kind,
    users,
    requests: perSecond * 5,
    seconds: 5,
    perSecond,
    p50Ms: 1,
    p99Ms: 3,
    maxMs: 10,
    failures: 0,
    firstFailure: null,
    ratioToBaseline: ratio ?? perSecond / 40_000,
    eventLoopMaxMs: 10,
    peakRssBytes: 90 * MB,
    serverCpuPercent: 98,
    loadGeneratorCpuPercent: 50,
    ...(ratio === undefined ? {} : { paired: { rounds: 3, baselinePerSecond: perSecond / ratio, ratios: [ratio, ratio, ratio], costRatio: null } }),
  };
}

function size(users: number, scenarios: ScenarioResult[]): SizeResult {
  return { users, idleRssBytes: 56 * MB, seededIdleRssBytes: 60 * MB, lifetimePeakRssBytes: 300 * MB, seedingEventLoopMaxMs: 10, seeding: null, scenarios, skipped: null, notes: [] };
}

function report(sizes: SizeResult[]): Omit<BenchReport, 'targets'> {
  const baseline = run('baseline', 0, 40_000);
  return {
    startedAt: '2026-11-30T00:00:00.000Z',
    machine: { nproc: 2, cpuModel: 'test', memoryGiB: 1, node: 'v20', platform: 'linux x64', pinning: 'test', loadAverageAtStart: 0 },
    settings: { durationS: 6, rounds: 3, warmupS: 1, connections: 16, sizes: sizes.map((s) => s.users), seedConcurrency: 64, seedBudgetS: 60 },
    coldStart: { emulatorMs: [200], baselineMs: [130], emulatorMedianMs: 200, baselineMedianMs: 130 },
    baseline,
    baselineEnd: baseline,
    baselinePerSecond: 40_000,
    strict: run('b', 0, 14_000, 0.36),
    sizes,
  };
}

const scaling = (r: Omit<BenchReport, 'targets'>) => evaluateTargets(r).find((t) => t.target.startsWith('at 100k users each scenario'))!;

test('a read that ran slower at 100,000 users only because the machine did (the same x baseline) keeps within 20%', () => {
  // (a): half the requests/s at 100k, but the bare server in its rounds was half as fast too.
  const verdict = scaling(report([size(0, [run('a', 0, 16_000, 0.4)]), size(100_000, [run('a', 100_000, 8_000, 0.4)])]));
  expect(verdict.status).toBe('met');
});

test('a read whose x baseline fell by more than 20% at 100,000 users is named', () => {
  const verdict = scaling(report([size(0, [run('a', 0, 16_000, 0.4)]), size(100_000, [run('a', 100_000, 16_000, 0.3)])]));
  expect(verdict.status).toBe('not met');
  expect(verdict.detail).toBe('(a) at 100,000 users 75% of 0-user');
});

test('(f) is compared with the smallest zone that fills its page, not with the empty 0-user list', () => {
  const sizes = [size(0, [run('f', 0, 16_000, 0.4)]), size(1_000, [run('f', 1_000, 6_000, 0.22)]), size(100_000, [run('f', 100_000, 5_500, 0.2)])];
  const verdict = scaling(report(sizes));
  expect(verdict.status).toBe('met');
  expect(verdict.detail).toBe('worst: (f) at 100,000 users 91% of 1,000-user (a full page)');
});

test('a write without pairing is compared by its plain requests/s', () => {
  const verdict = scaling(report([size(0, [run('d', 0, 4_000)]), size(100_000, [run('d', 100_000, 3_000)])]));
  expect(verdict.status).toBe('not met');
  expect(verdict.detail).toBe('(d) at 100,000 users 75% of 0-user');
});

test('a paired write is judged by CPU per request, as a read is: not by a bare-server rate its load generator capped', () => {
  const withCost = (r: ScenarioResult, costRatio: number): ScenarioResult => ({ ...r, paired: { ...r.paired!, costRatio } });
  // (c) signs every request, so the bare server beside it made what the load generator allowed: 14,400 then 16,000 req/s.
  const sizes = [size(0, [withCost(run('c', 0, 5_900, 0.41), 0.24)]), size(100_000, [withCost(run('c', 100_000, 5_000, 0.31), 0.26)])];
  expect(scaling(report(sizes))).toMatchObject({ status: 'met', detail: 'worst: (c) at 100,000 users 108% of 0-user' });
  const costlier = [size(0, [withCost(run('d', 0, 3_900, 0.16), 0.18)]), size(100_000, [withCost(run('d', 100_000, 3_300, 0.13), 0.12)])];
  expect(scaling(report(costlier))).toMatchObject({ status: 'not met', detail: '(d) at 100,000 users 67% of 0-user' });
});

test('reads are judged by their paired x baseline against 50%, strict against 35%', () => {
  const targets = evaluateTargets(report([size(0, [run('a', 0, 16_000, 0.51), run('e', 0, 9_000, 0.49)])]));
  expect(targets.find((t) => t.target.startsWith('reads (a),(e),(f) >= 50%'))).toMatchObject({ status: 'not met', detail: '(e) at 0 users 49%' });
  expect(targets.find((t) => t.target.startsWith('strict'))).toMatchObject({ status: 'met', detail: 'worst: (b) at 0 users 36%' });
});

test('for the 100k comparison a read is judged by CPU per request when measured: a slow load generator that capped the bare server does not count', () => {
  const withCost = (r: ScenarioResult, costRatio: number): ScenarioResult => ({ ...r, paired: { ...r.paired!, costRatio } });
  // At 0 users the bare server was capped by a slow load-generator CPU (x baseline 0.85); by CPU per request both sizes are alike.
  const sizes = [size(0, [withCost(run('a', 0, 19_000, 0.85), 0.5)]), size(100_000, [withCost(run('a', 100_000, 17_000, 0.47), 0.48)])];
  const verdict = scaling(report(sizes));
  expect(verdict).toMatchObject({ status: 'met', detail: 'worst: (a) at 100,000 users 96% of 0-user' });
});

test('a read measured beside a bare server sending its own answer ((f)) shows what that bare server made of the baseline: its ceiling', () => {
  const f = run('f', 1_000, 6_000, 0.24);
  const withSameBody: ScenarioResult = { ...f, paired: { ...f.paired!, sameBody: { bytes: 32_000, baselinePerSecond: 14_000, ratios: [0.43], ratio: 0.43, costRatio: 0.33 } } };
  const targets = evaluateTargets(report([size(1_000, [withSameBody, run('a', 1_000, 16_000, 0.45)])]));
  // The paired small-body baseline made 6,000 / 0.24 = 25,000 req/s; the same-page one 14,000: 56%.
  expect(targets.find((t) => t.target.startsWith('reads (a),(e),(f) >= 50%'))).toMatchObject({
    status: 'not met',
    detail: '(f) at 1,000 users 24% (a bare server sending the same answer: 56%); (a) at 1,000 users 45%',
  });
});

test('the ceiling names how busy the load generator was beside the bare server sending the same answer', () => {
  const f = run('f', 1_000, 6_000, 0.24);
  const sameBody = { bytes: 32_000, baselinePerSecond: 14_000, ratios: [0.43], ratio: 0.43, costRatio: 0.33, loadGeneratorCpuPercent: 98.6 };
  const targets = evaluateTargets(report([size(1_000, [{ ...f, paired: { ...f.paired!, sameBody } }])]));
  expect(targets.find((t) => t.target.startsWith('reads (a),(e),(f) >= 50%'))?.detail).toBe(
    '(f) at 1,000 users 24% (a bare server sending the same answer: 56%, the load generator at 99% CPU)',
  );
});

test("a read's p99 is shown beside the p99 of the bare server sending the same answer", () => {
  const f = { ...run('f', 1_000, 6_000, 0.24), p99Ms: 6.1 };
  const sameBody = { bytes: 32_000, baselinePerSecond: 14_000, ratios: [0.43], ratio: 0.43, costRatio: 0.33, p99Ms: 4.456 };
  const targets = evaluateTargets(report([size(1_000, [{ ...f, paired: { ...f.paired!, sameBody } }])]));
  expect(targets.find((t) => t.target.startsWith('reads (a),(e),(f) p99'))).toMatchObject({
    status: 'not met',
    detail: '(f) at 1,000 users p99 6.10 ms (a bare server sending the same answer: p99 4.46 ms)',
  });
});
