// A SCIM read records the key's use (last-used time, request log) without a
// disk write: the record rides along with the next write, or with shutdown.
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTITY_CENTER_STATE, snapshotOf } from '../../src/domain/schema.js';
import { openStore } from '../../src/store/open-store.js';
import { DEMO_ZONE_ID, ok, testEmulator, type TestEmulator } from '../helpers/api.js';
import { createScimKey, createUser, enableScimSync, expectListResponse, q, scimClient, settle, userBody, type ScimCall } from '../helpers/scim.js';
import { scratchDir, type Scratch } from '../helpers/store.js';

let scratch: Scratch;
let emu: TestEmulator;
let scim: ScimCall;
let credentialId: string;
let userId: string;
let closed = false;

/** Name, size, inode and change times of every file in the data directory. */
async function dirState(): Promise<{ name: string; size: bigint; ino: bigint; mtimeNs: bigint; ctimeNs: bigint }[]> {
  return Promise.all(
    (await scratch.names()).map(async (name) => {
      const s = await stat(join(scratch.dir, name), { bigint: true });
      return { name, size: s.size, ino: s.ino, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
    }),
  );
}

const USED_AT = '2026-03-01T01:00:00.000Z';

/** Requests manyScimReads makes with the key (discovery needs none, so it is not recorded). */
const KEYED_READS = 5 * 7;

/** Reads of every kind a client makes: lists, filters, pages, single resources, discovery. */
async function manyScimReads(): Promise<void> {
  emu.clock.set(USED_AT);
  for (let round = 0; round < 5; round++) {
    expectListResponse(await scim('GET', '/Users'));
    expect(expectListResponse(await scim('GET', `/Users${q({ filter: 'userName eq "alice"' })}`)).totalResults).toBe(1);
    expectListResponse(await scim('GET', `/Users${q({ startIndex: 1, count: 1 })}`));
    expect((await scim('GET', `/Users/${userId}`)).status).toBe(200);
    expect((await scim('GET', '/Users/no-such-user')).status).toBe(404);
    expectListResponse(await scim('GET', '/Groups'));
    expectListResponse(await scim('GET', `/Groups${q({ filter: 'displayName eq "nobody"' })}`));
    expect((await scim('GET', '/ServiceProviderConfig')).status).toBe(200); // discovery: no key, nothing to record
  }
  await settle();
}

/** The key as a restarted emulator would find it in `dataFile`. */
async function storedKey(dataFile: string) {
  const { store } = await openStore({ definition: IDENTITY_CENTER_STATE, dataFile, fixtures: snapshotOf({}), now: new Date() });
  try {
    return {
      lastUsedTime: store.view.scimCredentials.get(credentialId)?.lastUsedTime,
      logged: store.dump().scimRequestLog.filter((r) => r.time === USED_AT).length,
    };
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  scratch = await scratchDir('tce-scim-reads-');
  emu = await testEmulator({ dataFile: scratch.dataFile });
  closed = false;
  await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
  await enableScimSync(emu);
  const key = await createScimKey(emu);
  credentialId = key.credentialId;
  scim = scimClient(emu.server, key.token);
  userId = (await createUser(scim, userBody('alice'))).id as string;
});

afterEach(async () => {
  emu.server.closeAllConnections();
  await new Promise<void>((resolve) => emu.server.close(() => resolve()));
  if (!closed) await emu.close();
  await scratch.remove();
});

test('many SCIM GETs leave every file in the data directory exactly as it was', async () => {
  // The POST's own usage record is pending too: make it durable first, so only the reads remain.
  await emu.store.transact(() => undefined);
  const before = await dirState();
  expect(before.map((f) => f.name)).toContain('state.json');

  await manyScimReads();
  await new Promise((resolve) => setTimeout(resolve, 200));

  expect(await dirState()).toEqual(before);
  // The reads were recorded, in memory.
  expect(emu.store.view.scimCredentials.get(credentialId)?.lastUsedTime).toBe(USED_AT);
  expect(emu.store.dump().scimRequestLog.filter((r) => r.time === USED_AT)).toHaveLength(KEYED_READS);
});

test("the next write makes the key's last use durable with it", async () => {
  await manyScimReads();
  ok(await emu.call('CreateUser', { ZoneId: DEMO_ZONE_ID, UserName: 'bob' }));

  // As a crash right now would leave them: copy the files and open the copy.
  const copy = await scratchDir('tce-scim-reads-copy-');
  try {
    for (const name of await scratch.names()) await copyFile(join(scratch.dir, name), join(copy.dir, name));
    expect(await storedKey(copy.dataFile)).toEqual({ lastUsedTime: USED_AT, logged: KEYED_READS });
  } finally {
    await copy.remove();
  }
});

test("close() makes the key's last use durable", async () => {
  await manyScimReads();
  closed = true;
  await emu.close();
  expect(await storedKey(scratch.dataFile)).toEqual({ lastUsedTime: USED_AT, logged: KEYED_READS });
});
