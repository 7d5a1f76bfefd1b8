import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import type { State } from './state.js';

/**
 * A lowdb adapter that also remembers the JSON text of what it last wrote, so
 * the store can roll its in-memory state back to exactly what is durable.
 */
export interface SnapshotAdapter extends Adapter<State> {
  /** Text of the latest write that was started (it may still be in flight). */
  readonly startedText: string | null;
  /** Text of the latest write that completed. */
  readonly durableText: string | null;
  readonly description: string;
}

/** Keeps the state as JSON text in memory: same serialisation boundary as the file, no disk. */
export class JsonMemoryAdapter implements SnapshotAdapter {
  startedText: string | null = null;
  durableText: string | null = null;
  readonly description = 'in memory';

  async read(): Promise<State | null> {
    return this.durableText === null ? null : (JSON.parse(this.durableText) as State);
  }

  async write(data: State): Promise<void> {
    const text = JSON.stringify(data);
    this.startedText = text;
    this.durableText = text;
  }
}

/**
 * lowdb's own file adapter renames a temp file without fsync, so an
 * acknowledged write can vanish on power loss. This one writes the temp file,
 * fsyncs it, renames it over the data file and fsyncs the directory.
 */
export class DurableJsonFileAdapter implements SnapshotAdapter {
  startedText: string | null = null;
  durableText: string | null = null;
  private readonly tempPath: string;

  constructor(readonly path: string) {
    this.tempPath = `${path}.${process.pid}.tmp`;
  }

  get description(): string {
    return this.path;
  }

  /** Returns the raw text, or null when the file does not exist. */
  async readText(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(): Promise<State | null> {
    const text = await this.readText();
    return text === null ? null : (JSON.parse(text) as State);
  }

  async write(data: State): Promise<void> {
    // Serialise before the first await: the caller may change the state meanwhile.
    const text = `${JSON.stringify(data, null, 1)}\n`;
    this.startedText = text;
    await mkdir(dirname(this.path), { recursive: true });
    const file = await open(this.tempPath, 'w');
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(this.tempPath, this.path);
    } catch (error) {
      await unlink(this.tempPath).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.path));
    this.durableText = text;
  }
}

async function syncDirectory(path: string): Promise<void> {
  // Makes the rename itself durable. Some file systems refuse to fsync a directory; the rename is still atomic there.
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
