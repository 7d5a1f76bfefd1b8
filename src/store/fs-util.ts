import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

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
