import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest } from './control-error.js';

export interface SnapshotInfo {
  name: string;
  /** ISO-8601, on the emulator's clock when it was saved. */
  savedAt: string;
  bytes: number;
}

/** Named copies of the whole state (secrets included, like the data file). */
export interface SnapshotShelf {
  /** Where they are kept, for /_emulator/health. */
  readonly location: string;
  save(name: string, text: string, at: Date): Promise<SnapshotInfo>;
  /** The saved text, or null when there is no such snapshot. */
  read(name: string): Promise<string | null>;
  list(): Promise<SnapshotInfo[]>;
  remove(name: string): Promise<boolean>;
}

/**
 * Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most
 * 64: a name can never climb out of the snapshot folder (`..`, `/`, `\`) nor
 * be a hidden or temporary file.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkSnapshotName(name: string): string {
  if (!NAME.test(name) || name.endsWith('.tmp')) {
    throw badRequest(`snapshot names are 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit; got ${JSON.stringify(name)}`);
  }
  return name;
}

/** `<data file>.snapshots/<name>.json`, beside the data file. */
export class FileShelf implements SnapshotShelf {
  constructor(readonly location: string) {}

  private path(name: string): string {
    return join(this.location, `${checkSnapshotName(name)}.json`);
  }

  async save(name: string, text: string, at: Date): Promise<SnapshotInfo> {
    const target = this.path(name);
    await mkdir(this.location, { recursive: true });
    // Whole or not at all: a restore never reads half a snapshot.
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, text, { encoding: 'utf8', flush: true });
    await rename(temp, target);
    // savedAt is the emulator's time (a frozen or advanced clock included), kept as the file's mtime.
    await utimes(target, at, at);
    return { name, savedAt: at.toISOString(), bytes: Buffer.byteLength(text) };
  }

  async read(name: string): Promise<string | null> {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(): Promise<SnapshotInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.location);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: SnapshotInfo[] = [];
    for (const file of names.sort()) {
      const name = file.replace(/\.json$/, '');
      if (!file.endsWith('.json') || !NAME.test(name)) continue;
      const info = await stat(join(this.location, file)).catch(() => null);
      if (info?.isFile()) out.push({ name, savedAt: info.mtime.toISOString(), bytes: info.size });
    }
    return out;
  }

  async remove(name: string): Promise<boolean> {
    try {
      await unlink(this.path(name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

/** In-memory mode: snapshots live as long as the process. */
export class MemoryShelf implements SnapshotShelf {
  readonly location = 'in memory';
  private readonly saved = new Map<string, { text: string; info: SnapshotInfo }>();

  async save(name: string, text: string, at: Date): Promise<SnapshotInfo> {
    const info = { name: checkSnapshotName(name), savedAt: at.toISOString(), bytes: Buffer.byteLength(text) };
    this.saved.set(name, { text, info });
    return info;
  }

  async read(name: string): Promise<string | null> {
    return this.saved.get(checkSnapshotName(name))?.text ?? null;
  }

  async list(): Promise<SnapshotInfo[]> {
    return [...this.saved.values()].map((s) => s.info).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(name: string): Promise<boolean> {
    return this.saved.delete(checkSnapshotName(name));
  }
}
