import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerCheck, LoadRun, LoadSpec, RequestSpec } from './load.js';

/**
 * What a right answer looks like, in a form wrk's Lua can test: autocannon
 * runs a JavaScript check on every answer, wrk cannot.
 */
export interface Expectation {
  status: number;
  /** The body must contain this. */
  includes?: string;
  /** The body must not contain this. */
  excludes?: string;
}

/** A JavaScript check that says the same as `expect`, carrying `expect` for wrk. */
export function expecting(expect: Expectation, describe: (status: number, body: string) => string): AnswerCheck {
  const check: AnswerCheck = (status, body) => {
    const right = status === expect.status && (expect.includes === undefined || body.includes(expect.includes)) && (expect.excludes === undefined || !body.includes(expect.excludes));
    return right ? null : describe(status, body);
  };
  return Object.assign(check, { expect });
}

export function expectationOf(check: AnswerCheck): Expectation | undefined {
  return (check as AnswerCheck & { expect?: Expectation }).expect;
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** A signature stays good for five minutes; wrk cannot re-sign during a run, so a run must end well inside that. */
export const WRK_MAX_DURATION_S = 240;

/** Latency quantiles kept from a run (wrk reports a histogram, not samples). */
const QUANTILES = 1000;

const lua = (text: string) => JSON.stringify(text);

function script(requests: readonly RequestSpec[], expect: Expectation): string {
  const formatted = requests
    .map((r) => `  wrk.format(${lua(r.method)}, ${lua(r.path)}, {${Object.entries(r.headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')}}, ${r.body === undefined ? 'nil' : lua(r.body)})`)
    .join(',\n');
  // Built in init(): wrk sets the Host header it formats requests with only after loading the script.
  return `
local requests
function init(args)
  requests = {
${formatted}
  }
end
local n = 0
wrong = 0
first = ""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n + 1
  return requests[(n - 1) % #requests + 1]
end
function response(status, headers, body)
  local ok = status == ${expect.status}
  ${expect.includes === undefined ? '' : `if ok and not string.find(body, ${lua(expect.includes)}, 1, true) then ok = false end`}
  ${expect.excludes === undefined ? '' : `if ok and string.find(body, ${lua(expect.excludes)}, 1, true) then ok = false end`}
  if not ok then
    wrong = wrong + 1
    if first == "" then first = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 200) end
  end
end
function done(summary, latency, requests)
  local bad, firstBad = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("wrong")
    if firstBad == "" then firstBad = t:get("first") end
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout))
  io.write("FIRST " .. firstBad .. "\\n")
  local q = {}
  for i = 1, ${QUANTILES} do q[i] = latency:percentile(100 * i / ${QUANTILES}) end
  io.write("QUANTILES " .. table.concat(q, " ") .. "\\n")
end
`;
}

/**
 * Drives a fixed list of requests with wrk, a load generator written in C:
 * autocannon parses every answer in JavaScript and saturates its core on
 * large answers before the server does. Also returns the CPU wrk used.
 */
export async function runWrk(spec: LoadSpec): Promise<LoadRun & { generatorCpuUs: number }> {
  if (spec.source.kind !== 'fixed') throw new Error('wrk drives fixed request lists only');
  if (spec.durationS > WRK_MAX_DURATION_S) throw new Error(`a wrk run lasts at most ${WRK_MAX_DURATION_S} s (signatures are not renewed during it)`);
  const expect = expectationOf(spec.check);
  if (!expect) throw new Error('wrk needs a check made with expecting()');
  const requests = spec.source.build();
  if (requests.length === 0) throw new Error('a load run needs at least one request');
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const file = join(dir, 'load.lua');
  writeFileSync(file, script(requests, expect));
  try {
    // `times` reports the CPU of the shell's children: wrk's own, which the bench sets beside the server's.
    const command = `wrk -t1 -c${spec.connections} -d${spec.durationS}s --timeout 30s -s "$0" "$1"; code=$?; times; exit $code`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', command, file, spec.url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out.slice(-500)}`))));
    });
    return parse(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `0m1.234s` → seconds. */
const clock = (text: string) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
};

export function parse(output: string): LoadRun & { generatorCpuUs: number } {
  const result = /^RESULT (\d+) (\d+) (\d+) (\d+)$/m.exec(output);
  const quantiles = /^QUANTILES (.*)$/m.exec(output);
  if (!result || !quantiles) throw new Error(`wrk printed no result: ${output.slice(-500)}`);
  const [requests, durationUs, wrong, transport] = result.slice(1).map(Number) as [number, number, number, number];
  const first = /^FIRST (.*)$/m.exec(output)?.[1] ?? '';
  // Microseconds, ascending: wrk's percentiles stand in for the samples, one per 1/QUANTILES of the requests.
  const latencies = Float64Array.from(quantiles[1]!.trim().split(/\s+/).map((us) => Number(us) / 1000)).sort();
  // `times` prints the shell's user/system line, then its children's.
  const timeLines = output.trim().split('\n').filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line));
  const children = timeLines[timeLines.length - 1]?.split(' ') ?? [];
  const generatorCpuUs = children.reduce((sum, t) => sum + clock(t) * 1e6, 0);
  const seconds = durationUs / 1e6;
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  return {
    stats: {
      requests,
      seconds,
      perSecond: seconds > 0 ? requests / seconds : 0,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: latencies[latencies.length - 1] ?? 0,
      failures: wrong + transport,
      firstFailure: wrong > 0 ? first : transport > 0 ? `${transport} socket errors or timeouts` : null,
    },
    latencies,
    generatorCpuUs,
  };
}
