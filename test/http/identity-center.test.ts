import { DEMO_ZONE_ID, asOther, errorCode, ok, testEmulator, type TestEmulator } from '../helpers/api.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await testEmulator();
});
afterEach(() => emu.close());


describe('OpenIdentityCenter', () => {
  test('opens a zone with an ID of z- and 12 lowercase letters/digits', async () => {
    const res = await emu.call('OpenIdentityCenter', { ZoneName: 'acme-prod' }, asOther());
    expect(ok(res).ZoneId).toMatch(/^z-[a-z0-9]{12}$/);
    const described = ok(await emu.call('DescribeIdentityCenter', {}, asOther()));
    expect(described).toMatchObject({ ZoneId: ok(res).ZoneId, ZoneName: 'acme-prod', ServiceStatus: 'Enabled', ScimSyncStatus: 'Disabled' });
    expect(described.CreateTime).toBe('2026-03-01 08:00:00');
  });

  test.each([
    ['a'],
    ['a'.repeat(65)],
    ['Upper'],
    ['-lead'],
    ['trail-'],
    ['double--dash'],
    ['under_score'],
    ['space name'],
    [''],
  ])('rejects the zone name %j with InvalidParameterValue.ZoneNameFormatError', async (name) => {
    const res = await emu.call('OpenIdentityCenter', { ZoneName: name }, asOther());
    expect(errorCode(res)).toBe('InvalidParameterValue.ZoneNameFormatError');
  });

  test.each([['ab'], ['a'.repeat(64)], ['a-b-c'], ['0zone9']])('accepts the zone name %j', async (name) => {
    expect(ok(await emu.call('OpenIdentityCenter', { ZoneName: name }, asOther())).ZoneId).toBeDefined();
  });

  test('zone names are globally unique across accounts', async () => {
    const res = await emu.call('OpenIdentityCenter', { ZoneName: 'test-zone' }, asOther());
    expect(errorCode(res)).toBe('InvalidParameterValue.IdentityCenterZoneNameAlreadyExist');
  });

  test('an account can open only one zone', async () => {
    const res = await emu.call('OpenIdentityCenter', { ZoneName: 'second-zone' });
    expect(errorCode(res)).toBe('FailedOperation.IdentityCenterAlreadyOpen');
  });
});

describe('DescribeIdentityCenter', () => {
  test('an account that has not opened Identity Center sees ServiceStatus Disabled', async () => {
    const res = ok(await emu.call('DescribeIdentityCenter', {}, asOther()));
    expect(res).toMatchObject({ ServiceStatus: 'Disabled', ZoneId: '' });
  });

  test('ScimSyncStatus follows UpdateSCIMSynchronizationStatus', async () => {
    ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Enabled' }));
    expect(ok(await emu.call('DescribeIdentityCenter')).ScimSyncStatus).toBe('Enabled');
    expect(ok(await emu.call('GetSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID })).SCIMSynchronizationStatus).toBe('Enabled');
    ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Disabled' }));
    expect(ok(await emu.call('DescribeIdentityCenter')).ScimSyncStatus).toBe('Disabled');
  });

  test('times follow the configured UTC offset', async () => {
    const utc = await testEmulator({ utcOffsetMinutes: 0 });
    expect(ok(await utc.call('DescribeIdentityCenter')).CreateTime).toBe('2026-01-01 00:00:00');
    await utc.close();
  });
});

describe('UpdateSCIMSynchronizationStatus', () => {
  test.each([['enabled'], ['On'], ['']])('rejects %j with InvalidParameter.ScimSyncStatusError', async (status) => {
    const res = await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: status });
    expect(errorCode(res)).toBe('InvalidParameter.ScimSyncStatusError');
  });
});

describe('UpdateZone', () => {
  test('renames the zone and bumps UpdateTime', async () => {
    emu.clock.advance(60);
    ok(await emu.call('UpdateZone', { ZoneId: DEMO_ZONE_ID, NewZoneName: 'renamed-zone' }));
    const zone = ok(await emu.call('DescribeIdentityCenter'));
    expect(zone.ZoneName).toBe('renamed-zone');
    expect(zone.UpdateTime).toBe('2026-03-01 08:01:00');
  });

  test('an invalid new name is InvalidParameterValue.ZoneNameFormatError', async () => {
    expect(errorCode(await emu.call('UpdateZone', { ZoneId: DEMO_ZONE_ID, NewZoneName: 'Bad Name' }))).toBe(
      'InvalidParameterValue.ZoneNameFormatError',
    );
  });

  test("another account's zone name is taken", async () => {
    ok(await emu.call('OpenIdentityCenter', { ZoneName: 'other-zone' }, asOther()));
    expect(errorCode(await emu.call('UpdateZone', { ZoneId: DEMO_ZONE_ID, NewZoneName: 'other-zone' }))).toBe(
      'InvalidParameterValue.IdentityCenterZoneNameAlreadyExist',
    );
  });
});

describe('zone resolution precedence (every action taking ZoneId)', () => {
  const zoneActions: Array<[string, Record<string, unknown>]> = [
    ['UpdateZone', { NewZoneName: 'whatever' }],
    ['GetSCIMSynchronizationStatus', {}],
    ['UpdateSCIMSynchronizationStatus', { SCIMSynchronizationStatus: 'Enabled' }],
    ['CreateSCIMCredential', {}],
    ['ListSCIMCredentials', {}],
    ['UpdateSCIMCredentialStatus', { CredentialId: 'scimcred-000000000000', NewStatus: 'Enabled' }],
    ['DeleteSCIMCredential', { CredentialId: 'scimcred-000000000000' }],
  ];

  test.each(zoneActions)('%s: an account without a zone gets FailedOperation.IdentityCenterNotOpen, even for a real ZoneId', async (action, params) => {
    const res = await emu.call(action, { ZoneId: DEMO_ZONE_ID, ...params }, asOther());
    expect(errorCode(res)).toBe('FailedOperation.IdentityCenterNotOpen');
  });

  test.each(zoneActions)("%s: an unknown or another account's ZoneId gets FailedOperation.ZoneIdNotExist", async (action, params) => {
    expect(errorCode(await emu.call(action, { ZoneId: 'z-doesnotexist', ...params }))).toBe('FailedOperation.ZoneIdNotExist');
    const other = ok(await emu.call('OpenIdentityCenter', { ZoneName: `o-${action.toLowerCase()}` }, asOther())).ZoneId;
    expect(errorCode(await emu.call(action, { ZoneId: other, ...params }))).toBe('FailedOperation.ZoneIdNotExist');
  });
});

describe('SCIM credentials', () => {
  const create = (params: Record<string, unknown> = {}) => emu.call('CreateSCIMCredential', { ZoneId: DEMO_ZONE_ID, ...params });

  test('creation returns the whole key, with a secret of at least 256 random bits', async () => {
    const key = ok(await create());
    expect(key).toMatchObject({ ZoneId: DEMO_ZONE_ID, CredentialType: 'BearerToken', CredentialStatus: 'Enabled' });
    expect(key.CredentialId).toMatch(/^scimcred-[a-z0-9]{12}$/);
    expect(Buffer.from(String(key.CredentialSecret), 'base64').length).toBeGreaterThanOrEqual(32);
    expect(key.CreateTime).toBe('2026-03-01 08:00:00');
    expect(key.ExpireTime).toBe('2027-03-01 08:00:00');
  });

  test('the secret is never listed and stored only as a hash', async () => {
    const key = ok(await create());
    const listed = ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID }));
    expect(JSON.stringify(listed)).not.toContain(String(key.CredentialSecret));
    expect(Object.keys((listed.SCIMCredentials as object[])[0]!).sort()).toEqual(
      ['CreateTime', 'CredentialId', 'CredentialType', 'ExpireTime', 'Status', 'ZoneId'],
    );
    expect(JSON.stringify(emu.store.dump())).not.toContain(String(key.CredentialSecret));
  });

  test.each([
    [3599, 'InvalidParameterValue'],
    [99 * 365 * 86400 + 1, 'InvalidParameterValue'],
  ])('ExpireDuration %d is refused with %s', async (seconds, code) => {
    expect(errorCode(await create({ ExpireDuration: seconds }))).toBe(code);
  });

  test('ExpireDuration from 1 hour to 99 years is accepted', async () => {
    expect(ok(await create({ ExpireDuration: 3600 })).ExpireTime).toBe('2026-03-01 09:00:00');
    expect(ok(await create({ ExpireDuration: 99 * 365 * 86400 })).ExpireTime).toMatch(/^2125-/);
  });

  test('a zone holds at most 2 keys, disabled ones included', async () => {
    const first = ok(await create());
    ok(await create());
    ok(await emu.call('UpdateSCIMCredentialStatus', { ZoneId: DEMO_ZONE_ID, CredentialId: first.CredentialId, NewStatus: 'Disabled' }));
    expect(errorCode(await create())).toBe('LimitExceeded.ScimCredentialLimitExceeded');
    ok(await emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: first.CredentialId }));
    expect(ok(await create()).CredentialId).toBeDefined();
  });

  test('50 concurrent creations on one zone create exactly 2 keys', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => create()));
    const codes = results.map((r) => (r.body.Response.Error ? r.body.Response.Error.Code : 'ok'));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
    expect(codes.filter((c) => c === 'LimitExceeded.ScimCredentialLimitExceeded')).toHaveLength(48);
    expect(ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID })).TotalCounts).toBe(2);
  });

  test('ListSCIMCredentials filters by CredentialId; an unknown one lists nothing', async () => {
    const a = ok(await create());
    ok(await create());
    const one = ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID, CredentialId: a.CredentialId }));
    expect(one.TotalCounts).toBe(1);
    const none = ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID, CredentialId: 'scimcred-nothing00000' }));
    expect(none).toMatchObject({ TotalCounts: 0, SCIMCredentials: [] });
  });

  test('UpdateSCIMCredentialStatus disables and enables a key', async () => {
    const key = ok(await create());
    const setStatus = (NewStatus: string) =>
      emu.call('UpdateSCIMCredentialStatus', { ZoneId: DEMO_ZONE_ID, CredentialId: key.CredentialId, NewStatus });
    ok(await setStatus('Disabled'));
    expect(ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID })).SCIMCredentials).toEqual([
      expect.objectContaining({ Status: 'Disabled' }),
    ]);
    ok(await setStatus('Enabled'));
    expect(errorCode(await setStatus('Paused'))).toBe('InvalidParameter.UserScimCredentialStatusError');
  });

  test('an unknown key is InvalidParameter.ScimCredentialNotFound for update and delete', async () => {
    expect(
      errorCode(await emu.call('UpdateSCIMCredentialStatus', { ZoneId: DEMO_ZONE_ID, CredentialId: 'scimcred-none', NewStatus: 'Enabled' })),
    ).toBe('InvalidParameter.ScimCredentialNotFound');
    expect(errorCode(await emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: 'scimcred-none' }))).toBe(
      'InvalidParameter.ScimCredentialNotFound',
    );
  });

  test('a deleted key is gone', async () => {
    const key = ok(await create());
    ok(await emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: key.CredentialId }));
    expect(ok(await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID })).TotalCounts).toBe(0);
    expect(errorCode(await emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: key.CredentialId }))).toBe(
      'InvalidParameter.ScimCredentialNotFound',
    );
  });
});
