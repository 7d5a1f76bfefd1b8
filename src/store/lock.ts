import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { errnoOf } from './fs-util.js';

/** Another live process holds the data file. */
export class DataFileLockedError extends Error {
  constructor(
    readonly dataFile: string,
    readonly holder: LockOwner,
  ) {
    super(
      `the data file ${dataFile} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); stop that emulator or start this one with another --data file`,
    );
    this.name = 'DataFileLockedError';
  }
}

export interface LockOwner {
  pid: number;
  host: string;
  /** The process's start time as the kernel counts it: tells a live owner from a recycled pid. */
  startTicks: string | null;
  since: string;
}

export interface HeldLock {
  readonly path: string;
  /** Set when a lock left by a process that is gone was taken over. */
  readonly tookOverFrom: LockOwner | null;
  release(): Promise<void>;
}

/** Field 22 of /proc/<pid>/stat, or null where there is no procfs. */
function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell from here: assume it is
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (errnoOf(error) === 'ESRCH') return false;
  }
  const ticks = startTicksOf(owner.pid);
  return owner.startTicks === null || ticks === null || ticks === owner.startTicks;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const raw = JSON.parse(text) as Partial<LockOwner>;
    if (typeof raw.pid !== 'number' || typeof raw.host !== 'string') return null;
    return { pid: raw.pid, host: raw.host, startTicks: typeof raw.startTicks === 'string' ? raw.startTicks : null, since: String(raw.since ?? '?') };
  } catch {
    return null;
  }
}

/**
 * One emulator per data file: `<file>.lock`, created exclusively, holding the
 * owner's pid, host and process start time. A lock whose owner is gone (or
 * unreadable, left by a crash mid-write) is taken over.
 */
export async function lockDataFile(dataFile: string, now: Date): Promise<HeldLock> {
  const path = `${dataFile}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), startTicks: startTicksOf(process.pid), since: now.toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  let tookOverFrom: LockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(text, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      return {
        path,
        tookOverFrom,
        release: async () => {
          // Only our own lock: never remove one another process has since taken.
          const current = await readFile(path, 'utf8').catch(() => null);
          if (current === text) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
    const existing = await readFile(path, 'utf8').catch(() => '');
    const owner = parseOwner(existing);
    if (owner && isAlive(owner)) throw new DataFileLockedError(dataFile, owner);
    tookOverFrom = owner ?? { pid: 0, host: '?', startTicks: null, since: '?' };
    // Stale: remove it only if it is still the one we judged, then race for it again.
    const again = await readFile(path, 'utf8').catch(() => null);
    if (again === existing) await unlink(path).catch(() => undefined);
  }
  const owner = parseOwner(await readFile(path, 'utf8').catch(() => '')) ?? { pid: 0, host: '?', startTicks: null, since: '?' };
  throw new DataFileLockedError(dataFile, owner);
}
