// Real file systems that fill up or turn read-only under a running emulator:
// a small tmpfs (mounting one needs root, as CI runs) and `chattr +i` on a
// directory of /tmp's file system. Where either is not possible the tests
// that need it are skipped, saying why, rather than passing without running.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command: string, args: readonly string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; stderr?: Buffer | string; message: string };
  if (e.code === 'ENOENT') return 'the command is not installed';
  return String(e.stderr ?? '').trim() || e.message;
}

/** Why a tmpfs cannot be mounted here, or null when it can (probed once). */
export const TMPFS_UNAVAILABLE: string | null = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'tce-tmpfs-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    run('umount', [dir]);
    return null;
  } catch (error) {
    return reasonOf(error);
  } finally {
    rmdirSync(dir);
  }
})();

/** Why `chattr +i` does not work on /tmp's file system, or null when it does (probed once). */
export const CHATTR_UNAVAILABLE: string | null = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'tce-chattr-probe-'));
  try {
    run('chattr', ['+i', dir]);
    run('chattr', ['-i', dir]);
    return null;
  } catch (error) {
    return reasonOf(error);
  } finally {
    rmdirSync(dir);
  }
})();

/** `test`, or `test.skip` with a warning naming what is missing. */
export function testIf(unavailable: string | null, what: string): jest.It {
  if (unavailable === null) return test;
  console.warn(`${what} SKIPPED: ${unavailable}`);
  return test.skip;
}

export interface SmallDisk {
  dir: string;
  /** Takes every byte left (a filler file), as `dd if=/dev/zero of=<dir>/filler` would. */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  /** Grows or shrinks the file system, e.g. '64m'. */
  resize(size: string): void;
  /** Unmounts (lazily if something still holds it) and removes the mount point. */
  remove(): Promise<void>;
}

/** Mounts a tmpfs of `size` (e.g. '2m') on a fresh directory under /tmp. */
export async function mountTmpfs(size: string): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'tce-small-disk-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill: () => {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(64 * 1024);
      try {
        // A short write means the disk is full; so does ENOSPC.
        while (writeSync(fd, block) === block.length);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free: () => unlinkSync(filler),
    resize: (newSize) => run('mount', ['-o', `remount,size=${newSize}`, dir]),
    remove: async () => {
      try {
        run('umount', [dir]);
      } catch {
        run('umount', ['-l', dir]);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `chattr -R ±i` on a directory and everything in it. */
export function setImmutable(dir: string, immutable: boolean): void {
  run('chattr', ['-R', immutable ? '+i' : '-i', dir]);
}
