import autocannon from 'autocannon';
import { expecting, expectationOf, runWrk } from './wrk.js';

/** Says why an answer is wrong (an error envelope, a 4xx), or null when it is right. */
export type AnswerCheck = (status: number, body: string) => string | null;

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Where a run's requests come from.
 * - `fixed`: a list every connection cycles through, built before the run and
 *   rebuilt every `refreshMs` (re-signing it: a TC3 signature is good for five
 *   minutes, so one a second is as strict as one a request). autocannon
 *   serialises such requests once, so the load generator's cost per request
 *   is only sending and parsing: the server, not the generator, is the limit.
 * - `dynamic`: called before every request (writes that must differ each
 *   time: a new userName, a new description). Costs the generator ~30 µs a
 *   request plus whatever `next` does; fine at write rates.
 */
export type RequestSource =
  | { kind: 'fixed'; build: () => RequestSpec[]; refreshMs?: number }
  | { kind: 'dynamic'; next: () => RequestSpec };

export interface LoadSpec {
  url: string;
  connections: number;
  durationS: number;
  source: RequestSource;
  check: AnswerCheck;
  /**
   * wrk drives fixed lists whose check says what it expects (see wrk.ts):
   * it does not saturate on large answers. autocannon drives the rest.
   */
  generator?: 'autocannon' | 'wrk';
}

export interface LoadStats {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Wrong answers (see AnswerCheck) plus socket errors and timeouts. */
  failures: number;
  firstFailure: string | null;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** The part of autocannon's Client this file uses (see autocannon.d.ts). */
type Refreshable = Pick<autocannon.Client, 'setRequests'>;

/**
 * Drives `spec.url` with autocannon for `durationS` seconds. Latencies are
 * kept here rather than read from autocannon's histogram, whose buckets are
 * whole milliseconds: too coarse for sub-millisecond reads and a 5 ms target.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadStats> {
  return (await runLoadSamples(spec)).stats;
}

/** A run's figures and its latencies (ms, sorted), so that runs can be combined. */
export interface LoadRun {
  stats: LoadStats;
  latencies: Float64Array;
  /** CPU the load generator used when it ran as its own process (wrk); otherwise it is this process's. */
  generatorCpuUs?: number;
}

/** Several runs of one load as if they were one: requests and time summed, percentiles over every latency. */
export function combineRuns(runs: readonly LoadRun[]): LoadStats {
  const total = runs.reduce((n, r) => n + r.latencies.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const r of runs) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const requests = runs.reduce((n, r) => n + r.stats.requests, 0);
  const seconds = runs.reduce((n, r) => n + r.stats.seconds, 0);
  return {
    requests,
    seconds,
    perSecond: seconds > 0 ? requests / seconds : 0,
    p50Ms: quantile(all, 0.5),
    p99Ms: quantile(all, 0.99),
    maxMs: all.length > 0 ? all[all.length - 1]! : 0,
    failures: runs.reduce((n, r) => n + r.stats.failures, 0),
    firstFailure: runs.find((r) => r.stats.firstFailure !== null)?.stats.firstFailure ?? null,
  };
}

export function runLoadSamples(spec: LoadSpec): Promise<LoadRun> {
  if (spec.generator === 'wrk' && spec.source.kind === 'fixed' && expectationOf(spec.check)) return runWrk(spec);
  const latencies: number[] = [];
  let wrong = 0;
  let firstFailure: string | null = null;
  const onResponse = (status: number, body: string) => {
    const problem = spec.check(status, body);
    if (problem === null) return;
    wrong++;
    firstFailure ??= problem;
  };
  const { source } = spec;
  const withCheck = (list: RequestSpec[]): autocannon.Request[] => list.map((r) => ({ ...r, onResponse }));
  const requests: autocannon.Request[] =
    source.kind === 'fixed' ? withCheck(source.build()) : [{ setupRequest: (defaults) => ({ ...defaults, ...source.next() }), onResponse }];
  if (requests.length === 0) return Promise.reject(new Error('a load run needs at least one request'));

  // autocannon keeps its clients to itself; each names itself in its answers, which is all a refresh needs.
  const clients = new Set<Refreshable>();
  let refresher: NodeJS.Timeout | undefined;
  if (source.kind === 'fixed' && source.refreshMs !== undefined) {
    refresher = setInterval(() => {
      const fresh = withCheck(source.build());
      for (const client of clients) client.setRequests(fresh);
    }, source.refreshMs);
  }
  return new Promise<LoadRun>((resolve, reject) => {
    const instance = autocannon(
      { url: spec.url, connections: spec.connections, duration: spec.durationS, timeout: 30, requests },
      (error, result) => {
        clearInterval(refresher);
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const transportErrors = result.errors;
        resolve({
          stats: {
            requests: result.requests.total,
            seconds: result.duration,
            perSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
            p50Ms: quantile(sorted, 0.5),
            p99Ms: quantile(sorted, 0.99),
            maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
            failures: wrong + transportErrors,
            firstFailure: firstFailure ?? (transportErrors > 0 ? `${transportErrors} socket errors or timeouts` : null),
          },
          latencies: sorted,
        });
      },
    );
    instance.on('response', (client, _status, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
      if (refresher !== undefined) clients.add(client);
    });
  });
}

/** API 3.0 answers are HTTP 200 even for errors: look for the error envelope. */
export const apiCheck: AnswerCheck = expecting({ status: 200, excludes: '"Error":' }, (status, body) => {
  if (status !== 200) return `HTTP ${status}`;
  const code = /"Code":"([^"]+)"/.exec(body);
  return `API error ${code?.[1] ?? body.slice(0, 200)}`;
});

/** For SCIM: the expected status, else the status and the SCIM error's detail. */
export const statusCheck = (expected: number): AnswerCheck =>
  expecting({ status: expected }, (status, body) => {
    const detail = /"detail":"((?:[^"\\]|\\.){0,200})/.exec(body)?.[1];
    return `HTTP ${status}: ${detail ?? body.slice(0, 200)}`;
  });
