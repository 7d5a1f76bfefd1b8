import type { Account, ScimCredential } from '../domain/entities.js';
import { IDENTITY_CENTER_STATE, SCHEMA, STATE_SCHEMA_VERSION } from '../domain/schema.js';
import { checkStateIntegrity } from '../domain/state-integrity.js';
import type { IdentityCenterStore } from '../domain/store.js';
import { InvalidRecordError, NewerStateVersionError, StateFormatError } from '../store/errors.js';
import type { SnapshotSource } from '../store/persistence.js';
import { parseSnapshot } from '../store/snapshot-adapter.js';
import { badRequest } from './control-error.js';

export type Counts = Record<keyof typeof SCHEMA, number>;

export function countsOf(store: IdentityCenterStore): Counts {
  const out: Record<string, number> = {};
  for (const name of Object.keys(SCHEMA)) out[name] = store.view[name as keyof typeof SCHEMA].size;
  return out as Counts;
}

/**
 * The whole state as a state document, without secrets: accounts lose their
 * `secretKey`, SCIM keys their `secretHash`. Loading it back (`POST
 * /_emulator/state`) keeps the secrets the emulator already holds.
 */
export function exportState(store: IdentityCenterStore): Record<string, unknown> {
  const dump = store.dump();
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    ...dump,
    accounts: dump.accounts.map(({ secretKey: _secret, ...account }) => account),
    scimCredentials: dump.scimCredentials.map(({ secretHash: _hash, ...key }) => key),
  };
}

/** Every collection, secrets included, as a data file holds it (a snapshot on disk can be used as --fixtures). */
export function fullStateText(store: IdentityCenterStore): string {
  const lines = [`{\n "schemaVersion": ${STATE_SCHEMA_VERSION}`];
  for (const [name, records] of Object.entries(store.dump())) {
    const body = (records as unknown[]).map((r) => `  ${JSON.stringify(r)}`).join(',\n');
    lines.push(`,\n ${JSON.stringify(name)}: [${records.length === 0 ? ']' : `\n${body}\n ]`}`);
  }
  lines.push('\n}\n');
  return lines.join('');
}

/**
 * A state document's text -> a state ready for `store.replace`, or a 400
 * naming what is wrong (nothing is changed). Checks are the data file's own
 * (`parseSnapshot`, `migrate` with its record shapes) plus the rules across
 * records (`checkStateIntegrity`).
 *
 * Secrets: a document from `GET /_emulator/state` has none. An account
 * without `secretKey` keeps the one of the current account with the same Uin
 * and SecretId; a SCIM key without `secretHash` keeps the current hash of
 * the key with the same CredentialId. With no such record to keep it from,
 * the document is refused: the emulator does not invent credentials.
 */
export function readStateDocument(text: string, store: IdentityCenterStore): SnapshotSource {
  try {
    const parsed = parseSnapshot(text, STATE_SCHEMA_VERSION);
    const withSecrets: SnapshotSource = {
      ...parsed,
      collections: parsed.collections.map(([name, records]) => [name, keepSecrets(name, records, store)] as const),
    };
    const source = IDENTITY_CENTER_STATE.migrate(withSecrets);
    checkStateIntegrity(source);
    return source;
  } catch (error) {
    if (error instanceof StateFormatError || error instanceof InvalidRecordError || error instanceof NewerStateVersionError) {
      throw badRequest(`the state document was refused, nothing was changed: ${error.message}`);
    }
    throw error;
  }
}

function keepSecrets(name: string, records: readonly unknown[], store: IdentityCenterStore): readonly unknown[] {
  if (name === 'accounts') {
    return records.map((record, i) => {
      const a = record as Partial<Account>;
      if (a.secretKey !== undefined) return record;
      const current = typeof a.uin === 'string' ? store.view.accounts.get(a.uin) : undefined;
      if (!current || current.secretId !== a.secretId) {
        throw new StateFormatError(
          `accounts[${i}] (uin=${JSON.stringify(a.uin)}) has no secretKey, and no current account with that uin and secretId to keep it from; include its secretKey`,
        );
      }
      return { ...a, secretKey: current.secretKey };
    });
  }
  if (name === 'scimCredentials') {
    return records.map((record, i) => {
      const c = record as Partial<ScimCredential>;
      if (c.secretHash !== undefined) return record;
      const current = typeof c.credentialId === 'string' ? store.view.scimCredentials.get(c.credentialId) : undefined;
      if (!current) {
        throw new StateFormatError(
          `scimCredentials[${i}] (credentialId=${JSON.stringify(c.credentialId)}) has no secretHash, and the emulator holds no key with that credentialId to keep it from; include its secretHash`,
        );
      }
      return { ...c, secretHash: current.secretHash };
    });
  }
  return records;
}
