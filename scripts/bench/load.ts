import autocannon from 'autocannon';

/** Says why an answer is wrong (an error envelope, a 4xx), or null when it is right. */
export type AnswerCheck = (status: number, body: string) => string | null;

export interface LoadSpec {
  url: string;
  connections: number;
  durationS: number;
  /** Called before every request: a fresh signature, the next user, a new userName. */
  next: () => { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
  check: AnswerCheck;
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

/**
 * Drives `spec.url` with autocannon for `durationS` seconds. Latencies are
 * kept here rather than read from autocannon's histogram, whose buckets are
 * whole milliseconds: too coarse for sub-millisecond reads and a 5 ms target.
 */
export function runLoad(spec: LoadSpec): Promise<LoadStats> {
  const latencies: number[] = [];
  let wrong = 0;
  let firstFailure: string | null = null;
  const request: autocannon.Request = {
    setupRequest: (defaults) => ({ ...defaults, ...spec.next() }),
    onResponse: (status, body) => {
      const problem = spec.check(status, body);
      if (problem === null) return;
      wrong++;
      firstFailure ??= problem;
    },
  };
  return new Promise<LoadStats>((resolve, reject) => {
    const instance = autocannon(
      { url: spec.url, connections: spec.connections, duration: spec.durationS, timeout: 30, requests: [request] },
      (error, result) => {
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const transportErrors = result.errors;
        resolve({
          requests: result.requests.total,
          seconds: result.duration,
          perSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
          p50Ms: quantile(sorted, 0.5),
          p99Ms: quantile(sorted, 0.99),
          maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
          failures: wrong + transportErrors,
          firstFailure: firstFailure ?? (transportErrors > 0 ? `${transportErrors} socket errors or timeouts` : null),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
    });
  });
}

/** API 3.0 answers are HTTP 200 even for errors: look for the error envelope. */
export const apiCheck: AnswerCheck = (status, body) => {
  if (status !== 200) return `HTTP ${status}`;
  if (!body.includes('"Error":')) return null;
  const code = /"Code":"([^"]+)"/.exec(body);
  return `API error ${code?.[1] ?? body.slice(0, 200)}`;
};

/** For SCIM: the expected status, else the status and the SCIM error's detail. */
export const statusCheck =
  (expected: number): AnswerCheck =>
  (status, body) => {
    if (status === expected) return null;
    const detail = /"detail":"((?:[^"\\]|\\.){0,200})/.exec(body)?.[1];
    return `HTTP ${status}: ${detail ?? body.slice(0, 200)}`;
  };
