import { STATE_SCHEMA_VERSION, emptyState, type State } from './state.js';

export class StateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFormatError';
  }
}

/** The data file was written by a newer emulator: refuse to touch it rather than lose data. */
export class NewerStateVersionError extends Error {
  constructor(found: number) {
    super(
      `the data file has state schema version ${found}, newer than this emulator's ${STATE_SCHEMA_VERSION}; upgrade the emulator or start with another --data file`,
    );
    this.name = 'NewerStateVersionError';
  }
}

const COLLECTIONS = ['accounts', 'zones', 'scimCredentials', 'users', 'groups', 'memberships', 'scimRequestLog'] as const;

/**
 * Turns parsed JSON (a data file or a fixtures file) into a State, filling in
 * collections a fixtures file may leave out. Throws StateFormatError when the
 * document is not a state at all.
 */
export function stateFromJson(raw: unknown): State {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StateFormatError('the document is not a JSON object');
  }
  const doc = raw as Record<string, unknown>;
  const version = doc.schemaVersion ?? STATE_SCHEMA_VERSION;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StateFormatError(`schemaVersion must be a positive integer, got ${JSON.stringify(version)}`);
  }
  if (version > STATE_SCHEMA_VERSION) throw new NewerStateVersionError(version);
  const state = emptyState();
  for (const name of COLLECTIONS) {
    const value = doc[name];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
      throw new StateFormatError(`${name} must be an array of objects`);
    }
    // The element shapes are the emulator's own output; fixtures are checked by the fixture tests.
    (state[name] as unknown[]) = value;
  }
  return state;
}
