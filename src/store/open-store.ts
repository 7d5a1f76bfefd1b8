import { readdir, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { makeDirectories } from './fs-util.js';
import { basename, dirname, join } from 'node:path';
import { DataFileAccessError, StateFormatError } from './errors.js';
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
}

export interface OpenStoreOptions<S extends Schema> extends StoreOptions, FilePersistenceOptions {
  definition: SchemaDefinition<S>;
  /** Path of the JSON data file; null keeps everything in memory. */
  dataFile: string | null;
  /** Seed state for a new data file (or every in-memory start). */
  fixtures: SnapshotSource;
  /** Used to name a quarantined data file. */
  now: Date;
}

export interface OpenedStore<S extends Schema> {
  store: Store<S>;
  /** Set when an unreadable data file was moved aside and a fresh state started. */
  quarantinedTo: string | null;
  /** True when the state came from the fixtures rather than an existing data file. */
  seeded: boolean;
  /** Journal entries replayed at start-up, and whether a torn last line was dropped. */
  replayed: number;
  droppedTornLine: boolean;
  /** Set when a lock left by a process that is gone was taken over. */
  tookOverLockFrom: LockOwner | null;
}

export class FixturesError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot load fixtures from ${path}: ${reason}`);
    this.name = 'FixturesError';
  }
}

export async function loadFixtures<S extends Schema>(path: string, definition: SchemaDefinition<S>): Promise<SnapshotSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
  try {
    return definition.migrate(parseSnapshot(text, definition.version));
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
}

function loadInto<S extends Schema>(store: Store<S>, source: SnapshotSource): void {
  for (const [name, records] of source.collections) store.load(name, records);
}

/**
 * Opens the data file and its journal, or seeds a new data file from the
 * fixtures. A data file that cannot be parsed is moved aside (never deleted),
 * with its journal, as `<file>.corrupt-<timestamp>` and the emulator starts
 * from the fixtures. A newer format, or a damaged journal, stops start-up and
 * leaves every file untouched.
 */
export async function openStore<S extends Schema>(options: OpenStoreOptions<S>): Promise<OpenedStore<S>> {
  const { definition } = options;
  const fixtures = definition.migrate(options.fixtures);
  const result = { quarantinedTo: null as string | null, seeded: true, replayed: 0, droppedTornLine: false, tookOverLockFrom: null as LockOwner | null };
  if (options.dataFile === null) {
    const store = new Store(definition.schema, definition.version, new MemoryPersistence(), 0, options);
    loadInto(store, fixtures);
    return { store, ...result };
  }
  // A symlinked data file keeps pointing at its target: renames happen beside the target, not over the link.
  const dataFile = await realpath(options.dataFile).catch(() => options.dataFile as string);
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
  let text: string | null;
  try {
    text = await readFile(dataFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataFileAccessError(dataFile, error);
    text = null;
  }
  if (text !== null) {
    let source: SnapshotSource | null = null;
    try {
      source = definition.migrate(parseSnapshot(text, definition.version));
    } catch (error) {
      if (!(error instanceof StateFormatError)) throw error;
      result.quarantinedTo = await quarantine(dataFile, options.now);
    }
    if (source) {
      const journal = await readJournal(dataFile, source.journalSeq, new Set(Object.keys(definition.schema)));
      const persistence = new FilePersistence(dataFile, definition.version, journal, Buffer.byteLength(text), lock, options);
      const store = new Store(definition.schema, definition.version, persistence, source.journalSeq, options);
      loadInto(store, source);
      store.replay(journal.entries);
      const upgraded = parseVersion(text) < definition.version;
      if (journal.segments.length > 0 || upgraded) {
        // Start clean: one snapshot, no journal (also drops a torn line for good).
        store.markSnapshotStale();
        await store.compact();
      }
      return { ...result, store, seeded: false, replayed: journal.entries.length, droppedTornLine: journal.tornTail };
    }
  } else if ((await listSegments(dataFile)).length > 0) {
    throw new StateFormatError(`${dataFile} is missing but its journal segments are there; restore the data file, or move the journal files aside to start afresh`);
  }
  const persistence = new FilePersistence(dataFile, definition.version, { segments: [], sizes: new Map() }, 0, lock, options);
  const store = new Store(definition.schema, definition.version, persistence, 0, options);
  loadInto(store, fixtures);
  store.markSnapshotStale();
  await store.compact();
  return { ...result, store };
}

function parseVersion(text: string): number {
  const match = /"schemaVersion"\s*:\s*(\d+)/.exec(text.slice(0, 256));
  return match ? Number(match[1]) : 1;
}

/** Moves an unreadable data file, and the journal that belongs to it, aside. */
async function quarantine(dataFile: string, now: Date): Promise<string> {
  const suffix = `.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  const target = `${dataFile}${suffix}`;
  await rename(dataFile, target);
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
