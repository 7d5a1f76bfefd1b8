// test/helpers/store-crash-child.mjs as a child process: what it printed, line
// by line, and a SIGKILL when the test chooses.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { packagePath } from '../../src/runtime/package-root.js';

// Runs against dist/ (`npm test` builds first).
const CHILD = packagePath('test', 'helpers', 'store-crash-child.mjs');

export type ChildMode = 'append' | 'compact' | 'pause-after-rename' | 'full-disk';

export class StoreChild {
  private out = '';
  private err = '';
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly listeners = new Set<() => void>();
  /** Settles once the process is gone and everything it printed has been read. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    dataFile: string,
    readonly mode: ChildMode,
    compactMinBytes?: number,
  ) {
    const args = [CHILD, dataFile, mode, ...(compactMinBytes === undefined ? [] : [String(compactMinBytes)])];
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.out += chunk.toString();
      for (const listener of this.listeners) listener();
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.closed = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  /** Whole lines printed so far. */
  lines(): string[] {
    return this.out.split('\n').slice(0, -1);
  }

  count(line: string): number {
    return this.lines().filter((l) => l === line).length;
  }

  /** The counter it found on opening the files (its `ready` line), or null before that. */
  startedAt(): number | null {
    const ready = this.lines().find((l) => l.startsWith('ready '));
    return ready ? Number(ready.slice('ready '.length)) : null;
  }

  acked(): number[] {
    return this.lines()
      .filter((l) => l.startsWith('ack '))
      .map((l) => Number(l.slice('ack '.length)));
  }

  stderr(): string {
    return this.err;
  }

  /** Resolves once `condition` holds for what it printed; rejects if it exits first or `timeoutMs` passes. */
  waitFor(condition: (child: StoreChild) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (condition(this)) done();
      };
      const timer = setTimeout(() => done(new Error(`the ${this.mode} child never got to ${what}; stdout tail: ${this.out.slice(-200)}; stderr: ${this.err.slice(-2000)}`)), timeoutMs);
      this.listeners.add(check);
      void this.closed.then(({ code }) => done(new Error(`the ${this.mode} child exited (${code}) before ${what}: ${this.err.slice(-2000)}`)));
      check();
    });
  }

  /** SIGKILL; resolves once it is gone. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    const { signal } = await this.closed;
    if (signal !== 'SIGKILL') throw new Error(`the ${this.mode} child exited by itself: ${this.err}`);
  }
}
