import { readdir, readFile, readlink, realpath, rename, unlink } from 'node:fs/promises';
import { errnoOf, makeDirectories } from './fs-util.js';
import { basename, dirname, join, resolve } from 'node:path';
import { DataFileAccessError, InvalidRecordError, JournalCorruptError, StateFormatError } from './errors.js';
import { FilePersistence, type FilePersistenceOptions } from './file-persistence.js';
import { listSegments, readJournal } from './journal-files.js';
import { lockDataFile, type HeldLock, type LockOwner } from './lock.js';
import { MemoryPersistence, type SnapshotSource } from './persistence.js';
import { parseSnapshot } from './snapshot-adapter.js';
import { Store, type Schema, type StoreOptions } from './store.js';

/** What a schema's owner supplies: the collections, the current format version, and how to read older ones. */
export interface SchemaDefinition<S extends Schema> {
  schema: S;
  version: number;
  /** Upgrades a document of any supported version to `version` and checks it; throws StateFormatError. */
  migrate: (source: SnapshotSource) => SnapshotSource;
  /** The check `migrate` applies to each record, for one journaled record: what is wrong, or null. */
  recordProblem?: (collection: string, record: unknown) => string | null;
  /** Rules across records every loaded state must keep; throws InvalidRecordError naming the record. */
  checkIntegrity?: (source: SnapshotSource) => void;
  /** Fills in the fields a fixtures file may leave out (`now`: the start-up time). */
  completeFixtures?: (source: SnapshotSource, now: Date) => SnapshotSource;
}

export interface OpenStoreOptions<S extends Schema> extends StoreOptions, FilePersistenceOptions {
  definition: SchemaDefinition<S>;
  /** Path of the JSON data file; null keeps everything in memory. */
  dataFile: string | null;
  /** Seed state for a new data file (or every in-memory start). */
  fixtures: SnapshotSource;
  /** Used to name a quarantined data file. */
  now: Date;
  /**
   * A data file or journal that cannot be loaded (unparseable, a bad record,
   * damaged) is moved aside and the store starts from the fixtures, instead
   * of refusing to start.
   */
  resetDamagedData?: boolean;
}

export interface OpenedStore<S extends Schema> {
  store: Store<S>;
  /** Set when a damaged data file was moved aside (`resetDamagedData`) and a fresh state started. */
  quarantinedTo: string | null;
  /** Why it was moved aside. */
  damage: string | null;
  /** True when the state came from the fixtures rather than an existing data file. */
  seeded: boolean;
  /** Journal entries replayed at start-up, and whether a torn last line was dropped. */
  replayed: number;
  droppedTornLine: boolean;
  /** Bytes of that line. */
  droppedTornBytes: number;
  /** Set when a lock left by a process that is gone was taken over. */
  tookOverLockFrom: LockOwner | null;
}

export class FixturesError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot load fixtures from ${path}: ${reason}`);
    this.name = 'FixturesError';
  }
}

/**
 * A fixtures file: a state document of any supported version (a data file, a
 * saved snapshot), whose records may leave out the fields
 * `definition.completeFixtures` fills in. Checked like a data file.
 */
export async function loadFixtures<S extends Schema>(path: string, definition: SchemaDefinition<S>, now: Date): Promise<SnapshotSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
  try {
    const parsed = parseSnapshot(text, definition.version);
    const source = definition.migrate(definition.completeFixtures ? definition.completeFixtures(parsed, now) : parsed);
    definition.checkIntegrity?.(source);
    return source;
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
}

function loadInto<S extends Schema>(store: Store<S>, source: SnapshotSource): void {
  for (const [name, records] of source.collections) store.load(name, records);
}

/**
 * Opens the data file and its journal, or seeds a new data file from the
 * fixtures. Whatever cannot be loaded (a data file that does not parse, a
 * record of the wrong shape, records that break a rule across records, a
 * damaged or unreadable journal, a newer format) stops start-up and leaves
 * every file untouched. With `resetDamagedData`, damaged files (not a newer
 * format, not an unreadable one) are moved aside instead, never deleted, as
 * `<file>.corrupt-<timestamp>`, and the store starts from the fixtures.
 */
export async function openStore<S extends Schema>(options: OpenStoreOptions<S>): Promise<OpenedStore<S>> {
  const { definition } = options;
  const fixtures = definition.migrate(options.fixtures);
  const result = {
    quarantinedTo: null as string | null,
    damage: null as string | null,
    seeded: true,
    replayed: 0,
    droppedTornLine: false,
    droppedTornBytes: 0,
    tookOverLockFrom: null as LockOwner | null,
  };
  if (options.dataFile === null) {
    const store = new Store(definition.schema, definition.version, new MemoryPersistence(), 0, options);
    loadInto(store, fixtures);
    return { store, ...result };
  }
  const dataFile = await followLinks(options.dataFile);
  try {
    await makeDirectories(dirname(dataFile));
  } catch (error) {
    throw new DataFileAccessError(dataFile, error);
  }
  const lock = await lockDataFile(dataFile, options.now).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code ? new DataFileAccessError(dataFile, error) : error;
  });
  try {
    return await openFiles(dataFile, lock, options, fixtures, { ...result, tookOverLockFrom: lock.tookOverFrom });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openFiles<S extends Schema>(
  dataFile: string,
  lock: HeldLock,
  options: OpenStoreOptions<S>,
  fixtures: SnapshotSource,
  result: Omit<OpenedStore<S>, 'store'>,
): Promise<OpenedStore<S>> {
  const { definition } = options;
  await removeStaleTempFiles(dataFile);
  let bytes: Buffer | null;
  try {
    bytes = await readFile(dataFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataFileAccessError(dataFile, error);
    bytes = null;
  }
  if (bytes !== null) {
    try {
      return await openExisting(dataFile, bytes, lock, options, result);
    } catch (error) {
      if (!options.resetDamagedData || !isDamage(error)) throw error;
      result.damage = (error as Error).message;
      result.quarantinedTo = await quarantine(dataFile, options.now);
    }
  } else if ((await listSegments(dataFile)).length > 0) {
    const message = `${dataFile} is missing but its journal segments are there; restore the data file, or move the journal files aside to start afresh`;
    if (!options.resetDamagedData) throw new StateFormatError(message);
    result.damage = message;
    result.quarantinedTo = await quarantine(dataFile, options.now);
  }
  const persistence = new FilePersistence(dataFile, definition.version, { segments: [], sizes: new Map() }, 0, lock, options);
  const store = new Store(definition.schema, definition.version, persistence, 0, options);
  loadInto(store, fixtures);
  store.markSnapshotStale();
  await store.compact();
  return { ...result, store };
}

/** Damage a reset may move aside: not a newer format (an upgrade reads it) and not a file that cannot be read (nothing to move). */
function isDamage(error: unknown): boolean {
  return error instanceof StateFormatError || error instanceof InvalidRecordError || error instanceof JournalCorruptError;
}

async function openExisting<S extends Schema>(
  dataFile: string,
  bytes: Buffer,
  lock: HeldLock,
  options: OpenStoreOptions<S>,
  result: Omit<OpenedStore<S>, 'store'>,
): Promise<OpenedStore<S>> {
  const { definition } = options;
  const text = bytes.toString('utf8');
  let source: SnapshotSource;
  try {
    source = definition.migrate(parseSnapshot(text, definition.version));
  } catch (error) {
    if (!(error instanceof StateFormatError)) throw error;
    throw new StateFormatError(`the data file ${dataFile} cannot be read: ${whatIsWrong(bytes) ?? error.message}; nothing was changed`);
  }
  definition.checkIntegrity?.(source);
  const journal = await readJournal(dataFile, source.journalSeq, {
    collections: new Set(Object.keys(definition.schema)),
    ...(definition.recordProblem ? { recordProblem: definition.recordProblem } : {}),
  });
  const persistence = new FilePersistence(dataFile, definition.version, journal, bytes.length, lock, options);
  const store = new Store(definition.schema, definition.version, persistence, source.journalSeq, options);
  loadInto(store, source);
  store.replay(journal.entries);
  if (journal.entries.length > 0 && definition.checkIntegrity) checkReplayed(store, definition, journal);
  const upgraded = parseVersion(text) < definition.version;
  if (journal.segments.length > 0 || upgraded) {
    // Start clean: one snapshot, no journal (also drops a torn line for good).
    store.markSnapshotStale();
    await store.compact();
  }
  return { ...result, store, seeded: false, replayed: journal.entries.length, droppedTornLine: journal.tornTail, droppedTornBytes: journal.tornBytes };
}

/** The state after replay keeps the rules too; a record that breaks one is named with the journal line that put it, if one did. */
function checkReplayed<S extends Schema>(store: Store<S>, definition: SchemaDefinition<S>, journal: Awaited<ReturnType<typeof readJournal>>): void {
  try {
    definition.checkIntegrity!(store.capture());
  } catch (error) {
    if (!(error instanceof InvalidRecordError) || !error.record) throw error;
    const { collection, index } = error.record;
    const record = store.capture().collections.find(([name]) => name === collection)?.[1][index];
    const keyOf = specKey(definition.schema[collection]);
    for (let i = journal.entries.length - 1; record !== undefined && keyOf && i >= 0; i--) {
      const op = journal.entries[i]!.ops.find((o) => o.c === collection && 'put' in o && keyOf(o.put) === keyOf(record));
      if (op) {
        const { file, line } = journal.locations[i]!;
        throw new JournalCorruptError(file, line, `it puts a record that breaks a rule across records: ${error.message.replace(/^the data file holds [^:]*: /, '')}`);
      }
    }
    throw error;
  }
}

function specKey(spec: unknown): ((record: unknown) => string) | null {
  const s = spec as { key?: (r: unknown) => string; seq?: (r: unknown) => number } | undefined;
  if (s?.key) return s.key;
  if (s?.seq) return (r) => String(s.seq!(r));
  return null;
}

/** A plainer reason than the JSON parser's for the damage a disk or an editor leaves. */
function whatIsWrong(bytes: Buffer): string | null {
  if (bytes.length === 0) return 'the file is empty';
  if (bytes.every((b) => b === 0)) return 'the file holds only NUL bytes';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'the file is UTF-16 text; save it as UTF-8';
  return null;
}

/**
 * The path a data file's writes go to: a symlink's target (its renames happen
 * beside the target, not over the link), followed even when the target does
 * not exist yet, so the first start creates the target and keeps the link.
 */
async function followLinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(current);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') return current;
    }
    const target = await readlink(current).catch(() => null);
    if (target === null) return current;
    current = resolve(dirname(current), target);
  }
  return current;
}

function parseVersion(text: string): number {
  const match = /"schemaVersion"\s*:\s*(\d+)/.exec(text.slice(0, 256));
  return match ? Number(match[1]) : 1;
}

/** Moves a damaged data file (when there is one), and the journal that belongs to it, aside. */
async function quarantine(dataFile: string, now: Date): Promise<string> {
  const suffix = `.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  const target = `${dataFile}${suffix}`;
  await rename(dataFile, target).catch((error: unknown) => {
    if (errnoOf(error) !== 'ENOENT') throw error;
  });
  for (const segment of await listSegments(dataFile)) await rename(segment.path, `${segment.path}${suffix}`);
  return target;
}

/** Snapshot temp files (`<file>.<pid>.tmp`) left by a process that was killed mid-write. */
async function removeStaleTempFiles(dataFile: string): Promise<void> {
  const prefix = `${basename(dataFile)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(dataFile));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))) {
      await unlink(join(dirname(dataFile), name)).catch(() => undefined);
    }
  }
}
