/**
 * Journal records are checked on replay exactly as snapshot records are
 * (issue 21 D4, D5): a bad one refuses start-up with one line naming the
 * journal and the record, and touches no file.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/runtime/logger.js';
import { testFixtures } from '../helpers/api.js';

let dir: string;
let dataFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-checks-'));
  dataFile = join(dir, 'emulator.json');
  // A data file as a clean stop leaves it: a compacted snapshot, no journal.
  const app = await createApp({ dataFile, logLevel: 'silent' }, { logger: createLogger('silent'), fixtures: testFixtures() });
  await app.close();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const snapshotSeq = async () => (JSON.parse(await readFile(dataFile, 'utf8')) as { journalSeq: number }).journalSeq;
const user = (fields: Record<string, unknown>) => ({
  zoneId: 'z-testzone0001',
  userId: 'u-journalcheck01',
  userName: 'journal-check',
  firstName: '',
  lastName: '',
  displayName: '',
  description: '',
  email: '',
  userStatus: 'Enabled',
  userType: 'Manual',
  needResetPassword: false,
  createTime: '2026-01-01T00:00:00.000Z',
  updateTime: '2026-01-01T00:00:00.000Z',
  ...fields,
});

async function filesOf(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

test.each([
  ['a userName that is a number (D4)', { userName: 555 }, /userName/],
  ['a user without a userId (D5)', { userId: undefined }, /userId/],
])('%s in a journal put refuses start-up with one line and leaves every file as it was', async (_name, fields, pattern) => {
  const line = JSON.stringify({ seq: (await snapshotSeq()) + 1, ops: [{ c: 'users', put: user(fields) }] });
  await writeFile(`${dataFile}.journal.000000000001`, `${line}\n`);
  const before = await filesOf();
  const opening = createApp({ dataFile, logLevel: 'silent' }, { logger: createLogger('silent'), fixtures: testFixtures() });
  const error = (await opening.then(
    async (app) => {
      await app.close();
      return null;
    },
    (e: unknown) => e,
  )) as Error | null;
  expect(error).not.toBeNull();
  expect(error!.message).toMatch(pattern);
  expect(error!.message).toContain('journal');
  expect(error!.message).not.toContain('\n');
  expect(error).not.toBeInstanceOf(TypeError);
  expect(await filesOf()).toEqual(before);
});
