import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Children and temp dirs the bench made, so that every way out (normal end,
 * error, Ctrl-C) removes them. Synchronous, because 'exit' handlers must be.
 */
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
      cleanUp();
      process.exit(130);
    });
  }
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * CPU pinning: the server on one core, the load generator (this process) on
 * another, so they do not take turns on the same core and the numbers say
 * what the server can do. Without taskset or a second core, nothing is pinned.
 */
export interface Pinning {
  server: number | null;
  loadGenerator: number | null;
  note: string;
}

export function pinCpus(): Pinning {
  const cpus = availableParallelism();
  const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasTaskset) return { server: null, loadGenerator: null, note: 'not pinned: taskset not found' };
  if (cpus < 2) return { server: null, loadGenerator: null, note: 'not pinned: only one CPU' };
  // -a: every thread of this process (libuv pool, V8 helpers), not only the main one.
  const self = spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  if (self.status !== 0) return { server: null, loadGenerator: null, note: 'not pinned: taskset refused' };
  return { server: 0, loadGenerator: 1, note: `pinned: server on CPU 0, load generator on CPU 1 (of ${cpus})` };
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The last few kB the server wrote to stderr, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `node <script> <args>` (on `cpu` when pinning) and resolves with its
 * URL once it prints "listening on http://127.0.0.1:<port>".
 */
export function spawnServer(script: string, args: readonly string[], cpu: number | null, timeoutMs = 30_000): Promise<ServerProcess> {
  const command = cpu === null ? process.execPath : 'taskset';
  const argv = cpu === null ? [script, ...args] : ['-c', String(cpu), process.execPath, script, ...args];
  // taskset execs node, so the child's pid is the server's (for /proc/<pid>/status).
  // TCE_* settings of the caller's shell (TCE_IN_MEMORY, TCE_AUTH, ...) must not change what is measured.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TCE_')));
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));

  return new Promise<ServerProcess>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = READY.exec(out);
      if (!match) return;
      clearTimeout(timer);
      // Keep draining stdout so a chatty server never blocks on a full pipe.
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        child,
        pid: child.pid!,
        url: match[1]!,
        stderrTail: () => stderr,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before listening\n${stderr}`));
    });
  });
}

/** Peak resident memory of a process since start or the last resetPeakRss, in bytes; null off Linux. */
export function peakRss(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM). False if not possible. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) a process has used, in seconds; null off Linux. */
export function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces): state is [0], utime [11], stime [12].
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // /proc counts in USER_HZ, which Linux fixes at 100 for user space.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
