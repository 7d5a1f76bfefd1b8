// File-backed state across a restart: what an SDK created before the emulator
// stopped is there after it starts again on the same data file, and the SCIM
// secret itself is never written down.
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEMO_ZONE_ID } from '../helpers/api.js';
import { makeTempDir, startLiveEmulator, type LiveEmulator, type TempDir } from '../helpers/live-emulator.js';

describe('restart on the same data file', () => {
  let temp: TempDir;
  let dataFile: string;
  let live: LiveEmulator | undefined;
  const created: { id: string; secret: string; createTime: string; expireTime: string; status: string }[] = [];

  beforeAll(async () => {
    temp = await makeTempDir();
    dataFile = temp.file();

    const before = await startLiveEmulator({ dataFile });
    try {
      const client = before.orgClient();
      await client.UpdateSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Enabled' });
      for (const status of ['Enabled', 'Disabled']) {
        const res = await client.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 86400 });
        if (status === 'Disabled') {
          await client.UpdateSCIMCredentialStatus({ ZoneId: DEMO_ZONE_ID, CredentialId: res.CredentialId!, NewStatus: 'Disabled' });
        }
        created.push({
          id: res.CredentialId!,
          secret: res.CredentialSecret!,
          createTime: res.CreateTime!,
          expireTime: res.ExpireTime!,
          status,
        });
      }
    } finally {
      await before.close();
    }
    live = await startLiveEmulator({ dataFile });
  });

  afterAll(async () => {
    await live?.close();
    await temp?.remove();
  });

  test('the credentials are still listed with the same ids, status and times', async () => {
    const res = await live!.orgClient().ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
    expect(res.TotalCounts).toBe(2);
    const listed = res.SCIMCredentials!.map((c) => ({ id: c.CredentialId, status: c.Status, createTime: c.CreateTime, expireTime: c.ExpireTime }));
    expect(listed).toEqual(
      expect.arrayContaining(created.map(({ id, status, createTime, expireTime }) => ({ id, status, createTime, expireTime }))),
    );
  });

  test('the zone keeps its SCIM synchronization status', async () => {
    expect(await live!.orgClient().DescribeIdentityCenter()).toMatchObject({ ZoneId: DEMO_ZONE_ID, ScimSyncStatus: 'Enabled' });
  });

  test('no secret can be listed after the restart', async () => {
    const text = JSON.stringify(await live!.orgClient().ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID }));
    for (const { secret } of created) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Secret/i);
  });

  test('the limit of two still holds after the restart (the stored keys are counted)', async () => {
    await expect(live!.orgClient().CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID })).rejects.toMatchObject({
      code: 'LimitExceeded.ScimCredentialLimitExceeded',
    });
  });

  test('the data file holds a SHA-256 hash of each secret, never the secret itself', async () => {
    const text = await readFile(dataFile, 'utf8');
    for (const { id, secret } of created) {
      expect(text).toContain(id);
      expect(text).not.toContain(secret);
      // Not even in another encoding of the same bytes.
      const bytes = Buffer.from(secret, 'base64');
      expect(text).not.toContain(bytes.toString('hex'));
      expect(text).not.toContain(bytes.toString('base64url'));
      expect(text).toContain(createHash('sha256').update(secret, 'utf8').digest('hex'));
    }
  });
});

describe('a fresh data file', () => {
  test('is created and seeded from the fixtures at start-up', async () => {
    const live = await startLiveEmulator({ dataFile: 'temp' });
    const file = live.dataFile!;
    try {
      const state = JSON.parse(await readFile(file, 'utf8')) as { zones: { zoneId: string }[]; scimCredentials: unknown[] };
      expect(state.zones.map((z) => z.zoneId)).toEqual([DEMO_ZONE_ID]);
      expect(state.scimCredentials).toEqual([]);
      expect((await live.orgClient().DescribeIdentityCenter()).ZoneId).toBe(DEMO_ZONE_ID);
    } finally {
      await live.close();
    }
    await expect(access(dirname(file))).rejects.toThrow();
  });
});
