import { readFile, rename } from 'node:fs/promises';
import { DurableJsonFileAdapter, JsonMemoryAdapter } from './adapters.js';
import { stateFromJson, StateFormatError } from './load-state.js';
import type { State } from './state.js';
import { Store, type StoreOptions } from './store.js';

export interface OpenStoreOptions extends StoreOptions {
  /** Path of the JSON data file; null keeps everything in memory. */
  dataFile: string | null;
  /** Seed state for a new data file (or every in-memory start). */
  fixtures: State;
  /** Used to name a quarantined data file. */
  now: Date;
}

export interface OpenedStore {
  store: Store;
  /** Set when an unreadable data file was moved aside and a fresh state started. */
  quarantinedTo: string | null;
  /** True when the state came from the fixtures rather than an existing data file. */
  seeded: boolean;
}

export class FixturesError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot load fixtures from ${path}: ${reason}`);
    this.name = 'FixturesError';
  }
}

export async function loadFixtures(path: string): Promise<State> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
  try {
    return stateFromJson(JSON.parse(text));
  } catch (error) {
    throw new FixturesError(path, (error as Error).message);
  }
}

/**
 * Opens the data file, or seeds it from the fixtures on first start. A file
 * that cannot be parsed is moved aside (never deleted) as
 * `<file>.corrupt-<timestamp>` and the emulator starts from the fixtures.
 * A file from a newer emulator version is left alone and start-up fails.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const fixtures = structuredClone(options.fixtures);
  if (options.dataFile === null) {
    const store = new Store(new JsonMemoryAdapter(), fixtures, options);
    await store.persist();
    return { store, quarantinedTo: null, seeded: true };
  }

  const adapter = new DurableJsonFileAdapter(options.dataFile);
  const text = await adapter.readText();
  let quarantinedTo: string | null = null;
  if (text !== null) {
    try {
      const state = stateFromJson(JSON.parse(text));
      const store = new Store(adapter, state, options);
      await store.persist();
      return { store, quarantinedTo: null, seeded: false };
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof StateFormatError)) throw error;
      quarantinedTo = `${options.dataFile}.corrupt-${options.now.toISOString().replace(/[:.]/g, '-')}`;
      await rename(options.dataFile, quarantinedTo);
    }
  }
  const store = new Store(adapter, fixtures, options);
  await store.persist();
  return { store, quarantinedTo, seeded: true };
}
