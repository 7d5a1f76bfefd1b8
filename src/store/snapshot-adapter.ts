import { readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { NewerStateVersionError, StateFormatError } from './errors.js';
import { errnoOf, makeDirectories, openFile, stripBom, syncDirectory, writeFully, type OpenFile } from './fs-util.js';
import type { SnapshotSource } from './persistence.js';

/** Longest the serialiser works before letting requests run (the event loop's budget is 50 ms at 100,000 users). */
const SLICE_MS = 8;
/** Bytes gathered before one write to the temporary file. */
const WRITE_BYTES = 1 << 20;

export interface SnapshotAdapterOptions {
  /** The newest state format this emulator reads. */
  supportedVersion: number;
  /** Asked once the new snapshot is on disk, before it replaces the old one; false drops it. */
  gate?: (source: SnapshotSource) => Promise<boolean>;
  /** Opens the temporary file (tests pass one that fails like a full disk). */
  openFile?: OpenFile;
}

/**
 * lowdb's adapter for the snapshot: a JSON document a person can read (one
 * record a line), written the durable way — temporary file, fsync, rename,
 * directory fsync — and serialised in slices so a 40 MB state never holds
 * the event loop. lowdb's own file adapter neither fsyncs nor yields.
 */
export class SnapshotFileAdapter implements Adapter<SnapshotSource> {
  /** Size in bytes of the snapshot last written or read. */
  bytes = 0;
  /** Set when the last write was dropped by the gate. */
  dropped = false;
  private readonly tempPath: string;

  constructor(
    readonly path: string,
    private readonly options: SnapshotAdapterOptions,
  ) {
    this.tempPath = `${path}.${process.pid}.tmp`;
  }

  /** The raw text, or null when the file does not exist. */
  async readText(): Promise<string | null> {
    try {
      const text = await readFile(this.path, 'utf8');
      this.bytes = Buffer.byteLength(text);
      return stripBom(text);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      throw error;
    }
  }

  async read(): Promise<SnapshotSource | null> {
    const text = await this.readText();
    return text === null ? null : parseSnapshot(text, this.options.supportedVersion);
  }

  async write(source: SnapshotSource): Promise<void> {
    this.dropped = false;
    await makeDirectories(dirname(this.path));
    const file = await (this.options.openFile ?? openFile)(this.tempPath, 'w');
    let bytes = 0;
    try {
      let pending: string[] = [];
      let pendingLength = 0;
      const flush = async () => {
        if (pending.length === 0) return;
        const chunk = Buffer.from(pending.join(''), 'utf8');
        pending = [];
        pendingLength = 0;
        await writeFully(file, chunk);
        bytes += chunk.length;
      };
      const push = async (text: string) => {
        pending.push(text);
        pendingLength += text.length;
        if (pendingLength >= WRITE_BYTES) await flush();
      };
      await push(`{\n "schemaVersion": ${source.schemaVersion},\n "journalSeq": ${source.journalSeq}`);
      let sliceStart = performance.now();
      for (const [name, records] of source.collections) {
        await push(`,\n ${JSON.stringify(name)}: [`);
        for (let i = 0; i < records.length; i++) {
          await push(`${i === 0 ? '\n  ' : ',\n  '}${JSON.stringify(records[i])}`);
          if ((i & 127) === 0 && performance.now() - sliceStart > SLICE_MS) {
            await flush();
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
        }
        await push(records.length === 0 ? ']' : '\n ]');
      }
      await push('\n}\n');
      await flush();
      await file.sync();
      await file.close();
    } catch (error) {
      // The old snapshot stays as it was; a part-written new one must not linger beside it.
      await file.close().catch(() => undefined);
      await unlink(this.tempPath).catch(() => undefined);
      throw error;
    }
    if (this.options.gate && !(await this.options.gate(source))) {
      this.dropped = true;
      await unlink(this.tempPath).catch(() => undefined);
      return;
    }
    try {
      await rename(this.tempPath, this.path);
    } catch (error) {
      await unlink(this.tempPath).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.path));
    this.bytes = bytes;
  }
}

const META = new Set(['schemaVersion', 'journalSeq']);

/**
 * A data file's JSON -> its collections, with the structural checks any state
 * document must pass. Collections a document leaves out are simply empty (a
 * fixtures file may hold only accounts).
 */
export function parseSnapshot(text: string, supportedVersion: number): SnapshotSource {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (error) {
    throw new StateFormatError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StateFormatError('the document is not a JSON object');
  const doc = raw as Record<string, unknown>;
  const version = doc.schemaVersion ?? 1;
  if (typeof version === 'number' && version > supportedVersion) throw new NewerStateVersionError(version, supportedVersion);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StateFormatError(`schemaVersion must be a positive integer, got ${JSON.stringify(version)}`);
  }
  const journalSeq = doc.journalSeq ?? 0;
  if (typeof journalSeq !== 'number' || !Number.isSafeInteger(journalSeq) || journalSeq < 0) {
    throw new StateFormatError(`journalSeq must be a whole number, got ${JSON.stringify(journalSeq)}`);
  }
  const collections: [string, unknown[]][] = [];
  for (const [name, value] of Object.entries(doc)) {
    if (META.has(name)) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new StateFormatError(`${name} must be an array of objects`);
    }
    collections.push([name, value]);
  }
  return { schemaVersion: version, journalSeq, collections };
}
