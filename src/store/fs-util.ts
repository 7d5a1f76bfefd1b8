import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What the store needs of an open file: a FileHandle fits; tests pass one that fails the way a full disk does. */
export interface StoreFile {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export type OpenFile = (path: string, flags: 'a' | 'r+' | 'w') => Promise<StoreFile>;

export const openFile: OpenFile = (path, flags) => open(path, flags);

/**
 * Writes every byte or throws. A write(2) may take only part of a buffer (a
 * full disk takes what fits, then refuses the rest): the remainder goes in
 * further writes, so a short write never passes for a whole one.
 */
export async function writeFully(file: Pick<StoreFile, 'write'>, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, null);
    if (bytesWritten <= 0) throw new Error(`the file system took ${done} of ${bytes.length} bytes and then none`);
    done += bytesWritten;
  }
}

/** An error as one phrase: `ENOSPC: no space left on device, write`. */
export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  const message = String(e?.message ?? error);
  return e?.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
}

/** Makes renames, creations and deletions in a directory durable. Some file systems refuse; the operations stay atomic there. */
export async function syncDirectory(path: string): Promise<void> {
  try {
    const dir = await open(path, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Creates a directory and its missing parents one level at a time. Node's
 * `mkdir({ recursive: true })` never returns on some pseudo file systems
 * (e.g. a path under /proc, where mkdir fails with ENOENT), which would hang
 * start-up instead of failing it.
 */
export async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    const found = await stat(dir).then(
      (s) => s,
      (error: unknown) => {
        if (errnoOf(error) === 'ENOENT') return null;
        throw error;
      },
    );
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    await mkdir(dir).catch((error: unknown) => {
      if (errnoOf(error) !== 'EEXIST') throw error;
    });
  }
}

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A UTF-8 byte-order mark is not part of the JSON (editors on Windows add one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
