// Every action the emulator implements, driven through the official Node SDK's
// typed client (organization.v20210331.Client) in strict auth mode: each
// request is really signed and verified. Each success must match the action's
// generated response schema exactly, and each error code must be one the
// reference documents for that action (or a common API 3.0 code, or a listed,
// explained exception). Runs once per signing method / wire combination; within
// one the tests run in order against one emulator.
import type * as M from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/organization_models.js';
import { ACTION_ERROR_CODES, type OrganizationAction } from '../../src/generated/organization-2021-03-31.js';
import { organizationService } from '../../src/services/organization/index.js';
import { DEMO_ZONE_ID, OTHER_ACCOUNT, responseSchemaErrors } from '../helpers/api.js';
import { COMMON_ERROR_CODES, UNDOCUMENTED_BUT_RETURNED } from '../helpers/error-codes.js';
import { TestIdp, makeKeyAndCertificate, type TestKeyAndCertificate } from '../helpers/saml-idp.js';
import {
  TC_TIME,
  sdkError,
  startLiveEmulator,
  type LiveEmulator,
  type OrganizationClient,
  type ReqMethod,
  type SignMethod,
} from '../helpers/live-emulator.js';

const IMPLEMENTED = Object.entries(organizationService.handlers)
  .filter(([, handler]) => handler !== undefined)
  .map(([action]) => action)
  .sort();

const COMBINATIONS: { signMethod: SignMethod; reqMethod: ReqMethod; wire: string }[] = [
  { signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST', wire: 'JSON body' },
  { signMethod: 'HmacSHA256', reqMethod: 'GET', wire: 'query string' },
];

interface Observed {
  /** Actions that answered a success that conforms to their response schema. */
  succeeded: Set<string>;
  /** action -> error codes it answered with. */
  codes: Map<string, Set<string>>;
}

function isDocumented(action: string, code: string): boolean {
  return (
    COMMON_ERROR_CODES.has(code) ||
    (ACTION_ERROR_CODES[action as OrganizationAction] ?? []).includes(code) ||
    UNDOCUMENTED_BUT_RETURNED[action]?.[code] !== undefined
  );
}

describe.each(COMBINATIONS)('organization.v20210331.Client, strict auth, $signMethod $reqMethod ($wire)', ({ signMethod, reqMethod }) => {
  let live: LiveEmulator;
  let demo: OrganizationClient;
  let other: OrganizationClient;
  const observed: Observed = { succeeded: new Set(), codes: new Map() };

  /** Awaits a call that must succeed; its response must match the action's schema exactly. */
  async function success<T>(action: OrganizationAction, call: Promise<T>): Promise<T> {
    const response = await call;
    expect({ action, mismatches: responseSchemaErrors(action, response) }).toEqual({ action, mismatches: [] });
    observed.succeeded.add(action);
    return response;
  }

  /** Awaits a call that must fail with `code`; records the code for the documentation check. */
  async function failure(action: OrganizationAction, call: Promise<unknown>, code: string): Promise<void> {
    const error = await sdkError(call);
    const codes = observed.codes.get(action) ?? new Set<string>();
    codes.add(error.code ?? '(none)');
    observed.codes.set(action, codes);
    expect({ action, code: error.code }).toEqual({ action, code });
  }

  const ZoneId = DEMO_ZONE_ID;
  let alice: M.UserInfo;
  let bob: M.UserInfo;
  let group: M.GroupInfo;
  let synced: M.GroupInfo;
  let credential: M.CreateSCIMCredentialResponse;

  let idp: TestIdp;
  let spare: TestKeyAndCertificate;

  beforeAll(async () => {
    idp = TestIdp.create();
    spare = makeKeyAndCertificate();
    live = await startLiveEmulator({ auth: 'strict' });
    demo = live.orgClient({ signMethod, reqMethod });
    other = live.orgClient({ signMethod, reqMethod, secretId: OTHER_ACCOUNT.secretId, secretKey: OTHER_ACCOUNT.secretKey });
  });
  afterAll(() => live.close());

  test('zones: DescribeIdentityCenter, UpdateZone, OpenIdentityCenter', async () => {
    expect(await success('DescribeIdentityCenter', demo.DescribeIdentityCenter())).toMatchObject({ ZoneId, ServiceStatus: 'Enabled' });
    await success('UpdateZone', demo.UpdateZone({ ZoneId, NewZoneName: 'renamed-zone' }));
    expect((await demo.DescribeIdentityCenter()).ZoneName).toBe('renamed-zone');
    await failure('UpdateZone', demo.UpdateZone({ ZoneId, NewZoneName: 'Not_Valid' }), 'InvalidParameterValue.ZoneNameFormatError');

    expect(await success('DescribeIdentityCenter', other.DescribeIdentityCenter())).toMatchObject({ ZoneId: '', ServiceStatus: 'Disabled' });
    await failure('CreateSCIMCredential', other.CreateSCIMCredential({ ZoneId }), 'FailedOperation.IdentityCenterNotOpen');
    await failure('GetUser', other.GetUser({ ZoneId, UserId: 'u-000000000000' }), 'FailedOperation.IdentityCenterNotOpen');
    await failure('OpenIdentityCenter', other.OpenIdentityCenter({ ZoneName: 'renamed-zone' }), 'InvalidParameterValue.IdentityCenterZoneNameAlreadyExist');
    await failure('OpenIdentityCenter', other.OpenIdentityCenter({ ZoneName: '-bad-' }), 'InvalidParameterValue.ZoneNameFormatError');
    const opened = await success('OpenIdentityCenter', other.OpenIdentityCenter({ ZoneName: 'other-zone' }));
    expect(opened.ZoneId).toMatch(/^z-[a-z0-9]{12}$/);
    await failure('OpenIdentityCenter', other.OpenIdentityCenter({ ZoneName: 'third-zone' }), 'FailedOperation.IdentityCenterAlreadyOpen');
    await failure('CreateSCIMCredential', demo.CreateSCIMCredential({ ZoneId: opened.ZoneId! }), 'FailedOperation.ZoneIdNotExist');
    await failure('GetZoneStatistics', other.GetZoneStatistics({ ZoneId }), 'FailedOperation.ZoneIdNotExist');
  });

  test('SCIM synchronisation: GetSCIMSynchronizationStatus, UpdateSCIMSynchronizationStatus', async () => {
    await success('UpdateSCIMSynchronizationStatus', demo.UpdateSCIMSynchronizationStatus({ ZoneId, SCIMSynchronizationStatus: 'Enabled' }));
    expect(await success('GetSCIMSynchronizationStatus', demo.GetSCIMSynchronizationStatus({ ZoneId }))).toMatchObject({
      SCIMSynchronizationStatus: 'Enabled',
    });
    await failure(
      'UpdateSCIMSynchronizationStatus',
      demo.UpdateSCIMSynchronizationStatus({ ZoneId, SCIMSynchronizationStatus: 'On' }),
      'InvalidParameter.ScimSyncStatusError',
    );
    // Back to Disabled: the API may then change records of either type.
    await success('UpdateSCIMSynchronizationStatus', demo.UpdateSCIMSynchronizationStatus({ ZoneId, SCIMSynchronizationStatus: 'Disabled' }));
  });

  test('SCIM keys: CreateSCIMCredential, ListSCIMCredentials, UpdateSCIMCredentialStatus, DeleteSCIMCredential', async () => {
    credential = await success('CreateSCIMCredential', demo.CreateSCIMCredential({ ZoneId, ExpireDuration: 7200 }));
    const listed = await success('ListSCIMCredentials', demo.ListSCIMCredentials({ ZoneId }));
    expect(listed.SCIMCredentials?.map((c) => c.CredentialId)).toEqual([credential.CredentialId]);
    await success(
      'UpdateSCIMCredentialStatus',
      demo.UpdateSCIMCredentialStatus({ ZoneId, CredentialId: credential.CredentialId!, NewStatus: 'Disabled' }),
    );
    await failure(
      'UpdateSCIMCredentialStatus',
      demo.UpdateSCIMCredentialStatus({ ZoneId, CredentialId: credential.CredentialId!, NewStatus: 'Paused' }),
      'InvalidParameter.UserScimCredentialStatusError',
    );
    await success('CreateSCIMCredential', demo.CreateSCIMCredential({ ZoneId }));
    await failure('CreateSCIMCredential', demo.CreateSCIMCredential({ ZoneId }), 'LimitExceeded.ScimCredentialLimitExceeded');
    await success('DeleteSCIMCredential', demo.DeleteSCIMCredential({ ZoneId, CredentialId: credential.CredentialId! }));
    await failure(
      'DeleteSCIMCredential',
      demo.DeleteSCIMCredential({ ZoneId, CredentialId: credential.CredentialId! }),
      'InvalidParameter.ScimCredentialNotFound',
    );
    await failure('ListSCIMCredentials', demo.ListSCIMCredentials({ ZoneId: 'z-000000000000' }), 'FailedOperation.ZoneIdNotExist');
  });

  test('users: CreateUser, GetUser, UpdateUser, UpdateUserStatus', async () => {
    const created = await success(
      'CreateUser',
      demo.CreateUser({
        ZoneId,
        UserName: 'alice',
        FirstName: 'Alice',
        LastName: 'Liddell',
        DisplayName: 'Alice Liddell',
        Description: 'first user',
        Email: 'alice@example.com',
        UserStatus: 'Enabled',
        UserType: 'Manual',
        NeedResetPassword: false,
      }),
    );
    alice = created.UserInfo!;
    expect(alice).toMatchObject({ UserName: 'alice', UserType: 'Manual', UserStatus: 'Enabled' });
    expect(alice.UserId).toMatch(/^u-[a-z0-9]{12}$/);
    expect(alice.CreateTime).toMatch(TC_TIME);
    bob = (await success('CreateUser', demo.CreateUser({ ZoneId, UserName: 'bob', UserType: 'Synchronized' }))).UserInfo!;
    await failure('CreateUser', demo.CreateUser({ ZoneId, UserName: 'ALICE' }), 'InvalidParameter.UsernameAlreadyExists');
    await failure('CreateUser', demo.CreateUser({ ZoneId, UserName: 'carol', Email: 'Alice@Example.com' }), 'InvalidParameter.EmailAlreadyExists');
    await failure('CreateUser', demo.CreateUser({ ZoneId, UserName: 'no spaces' }), 'InvalidParameter.UsernameFormatError');

    expect((await success('GetUser', demo.GetUser({ ZoneId, UserId: alice.UserId! }))).UserInfo).toMatchObject({ UserName: 'alice' });
    await failure('GetUser', demo.GetUser({ ZoneId, UserId: 'u-000000000000' }), 'ResourceNotFound.UserNotExist');

    await success('UpdateUser', demo.UpdateUser({ ZoneId, UserId: alice.UserId!, NewDisplayName: 'Alice L.', NeedResetPassword: true }));
    await failure('UpdateUser', demo.UpdateUser({ ZoneId, UserId: bob.UserId!, NewEmail: 'alice@example.com' }), 'InvalidParameter.EmailAlreadyExists');
    await success('UpdateUserStatus', demo.UpdateUserStatus({ ZoneId, UserId: bob.UserId!, NewUserStatus: 'Disabled' }));
    await failure('UpdateUserStatus', demo.UpdateUserStatus({ ZoneId, UserId: 'u-000000000000', NewUserStatus: 'Enabled' }), 'ResourceNotFound.UserNotExist');
  });

  test('groups: CreateGroup, GetGroup, UpdateGroup, AddUserToGroup', async () => {
    group = (await success('CreateGroup', demo.CreateGroup({ ZoneId, GroupName: 'readers', Description: 'can read', GroupType: 'Manual' }))).GroupInfo!;
    expect(group.GroupId).toMatch(/^g-[a-z0-9]{12}$/);
    await failure('CreateGroup', demo.CreateGroup({ ZoneId, GroupName: 'Readers' }), 'InvalidParameter.GroupNameAlreadyExists');
    await failure('CreateGroup', demo.CreateGroup({ ZoneId, GroupName: 'has space' }), 'InvalidParameter.GroupNameFormatError');

    expect(await success('GetGroup', demo.GetGroup({ ZoneId, GroupId: group.GroupId! }))).toMatchObject({ GroupInfo: { GroupName: 'readers' } });
    await failure('GetGroup', demo.GetGroup({ ZoneId, GroupId: 'g-000000000000' }), 'InvalidParameter.GroupNotExist');
    await success('UpdateGroup', demo.UpdateGroup({ ZoneId, GroupId: group.GroupId!, NewGroupName: 'all-readers', NewDescription: 'read all' }));
    await failure('UpdateGroup', demo.UpdateGroup({ ZoneId, GroupId: 'g-000000000000', NewDescription: 'x' }), 'InvalidParameter.GroupNotExist');

    await success('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: group.GroupId!, UserId: alice.UserId! }));
    await failure('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: group.GroupId!, UserId: alice.UserId! }), 'InvalidParameter.GroupUserAlreadyExists');
    // A Synchronized group takes only Synchronized users (SCIM synchronisation is off, so the API may manage it).
    synced = (await success('CreateGroup', demo.CreateGroup({ ZoneId, GroupName: 'synced', GroupType: 'Synchronized' }))).GroupInfo!;
    await failure('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: synced.GroupId!, UserId: alice.UserId! }), 'FailedOperation.GroupTypeUserTypeNotMatch');
    await success('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: synced.GroupId!, UserId: bob.UserId! }));
    await failure('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: group.GroupId!, UserId: 'u-000000000000' }), 'ResourceNotFound.UserNotExist');
  });

  test('listings: ListUsers, ListGroups, ListGroupMembers, ListJoinedGroupsForUser, GetZoneStatistics', async () => {
    const users = await success(
      'ListUsers',
      demo.ListUsers({ ZoneId, FilterGroups: [group.GroupId!], SortField: 'CreateTime', SortType: 'Asc', MaxResults: 1 }),
    );
    expect(users).toMatchObject({ TotalCounts: 2, IsTruncated: true, MaxResults: 1 });
    expect(users.Users?.map((u) => [u.UserName, u.IsSelected])).toEqual([['alice', true]]);
    const rest = await success('ListUsers', demo.ListUsers({ ZoneId, FilterGroups: [group.GroupId!], SortField: 'CreateTime', SortType: 'Asc', MaxResults: 1, NextToken: users.NextToken! }));
    expect(rest.Users?.map((u) => [u.UserName, u.IsSelected])).toEqual([['bob', false]]);
    await failure('ListUsers', demo.ListUsers({ ZoneId, NextToken: 'not-a-token' }), 'InvalidParameter.NextTokenInvalid');
    expect((await success('ListUsers', demo.ListUsers({ ZoneId, Filter: 'ALICE', UserStatus: 'Enabled', UserType: 'Manual' }))).Users?.map((u) => u.UserName)).toEqual(['alice']);

    const groups = await success('ListGroups', demo.ListGroups({ ZoneId, Filter: 'GroupName sw all', FilterUsers: [alice.UserId!], GroupType: 'Manual' }));
    expect(groups.Groups?.map((g) => [g.GroupName, g.MemberCount, g.IsSelected])).toEqual([['all-readers', 1, true]]);
    await failure('ListGroups', demo.ListGroups({ ZoneId, MaxResults: 0 }), 'InvalidParameterValue');

    const members = await success('ListGroupMembers', demo.ListGroupMembers({ ZoneId, GroupId: group.GroupId!, UserType: 'Manual' }));
    expect(members.GroupMembers?.map((m) => m.UserName)).toEqual(['alice']);
    await failure('ListGroupMembers', demo.ListGroupMembers({ ZoneId, GroupId: 'g-000000000000' }), 'InvalidParameter.GroupNotExist');
    await failure('ListGroupMembers', demo.ListGroupMembers({ ZoneId, GroupId: group.GroupId!, NextToken: 'not-a-token' }), 'InvalidParameter.NextTokenInvalid');

    const joined = await success('ListJoinedGroupsForUser', demo.ListJoinedGroupsForUser({ ZoneId, UserId: alice.UserId! }));
    expect(joined.JoinedGroups?.map((g) => g.GroupName)).toEqual(['all-readers']);
    await failure('ListJoinedGroupsForUser', demo.ListJoinedGroupsForUser({ ZoneId, UserId: 'u-000000000000' }), 'ResourceNotFound.UserNotExist');
    await failure('ListJoinedGroupsForUser', demo.ListJoinedGroupsForUser({ ZoneId, UserId: alice.UserId!, NextToken: 'not-a-token' }), 'InvalidParameter.NextTokenInvalid');

    const stats = await success('GetZoneStatistics', demo.GetZoneStatistics({ ZoneId }));
    expect(stats.ZoneStatistics).toMatchObject({ UserCount: 2, GroupCount: 2 });
  });

  test('removals: RemoveUserFromGroup, DeleteGroup, DeleteUser', async () => {
    await failure('DeleteUser', demo.DeleteUser({ ZoneId, UserId: alice.UserId! }), 'InvalidParameter.UserAlreadyExistsGroup');
    await failure('DeleteGroup', demo.DeleteGroup({ ZoneId, GroupId: group.GroupId! }), 'FailedOperation.DeleteGroupNotAllowExistUser');
    await success('RemoveUserFromGroup', demo.RemoveUserFromGroup({ ZoneId, GroupId: group.GroupId!, UserId: alice.UserId! }));
    await failure('RemoveUserFromGroup', demo.RemoveUserFromGroup({ ZoneId, GroupId: group.GroupId!, UserId: alice.UserId! }), 'InvalidParameter.GroupUserNotExist');
    await success('DeleteGroup', demo.DeleteGroup({ ZoneId, GroupId: group.GroupId! }));
    await failure('DeleteGroup', demo.DeleteGroup({ ZoneId, GroupId: group.GroupId! }), 'InvalidParameter.GroupNotExist');
    await success('DeleteUser', demo.DeleteUser({ ZoneId, UserId: alice.UserId! }));
    await failure('DeleteUser', demo.DeleteUser({ ZoneId, UserId: alice.UserId! }), 'ResourceNotFound.UserNotExist');
    expect((await success('ListUsers', demo.ListUsers({ ZoneId }))).Users?.map((u) => u.UserName)).toEqual(['bob']);
    expect((await success('ListGroups', demo.ListGroups({ ZoneId }))).Groups?.map((g) => g.GroupName)).toEqual(['synced']);
  });

  test('synchronized records are locked while SCIM synchronisation is enabled', async () => {
    await success('UpdateSCIMSynchronizationStatus', demo.UpdateSCIMSynchronizationStatus({ ZoneId, SCIMSynchronizationStatus: 'Enabled' }));
    await failure('UpdateUser', demo.UpdateUser({ ZoneId, UserId: bob.UserId!, NewDisplayName: 'Bob' }), 'FailedOperation.SynchronizedUserNotUpdate');
    await failure('UpdateUserStatus', demo.UpdateUserStatus({ ZoneId, UserId: bob.UserId!, NewUserStatus: 'Enabled' }), 'FailedOperation.SynchronizedUserNotUpdate');
    await failure('DeleteUser', demo.DeleteUser({ ZoneId, UserId: bob.UserId! }), 'FailedOperation.SynchronizedUserNotDelete');
    await failure('UpdateGroup', demo.UpdateGroup({ ZoneId, GroupId: synced.GroupId!, NewDescription: 'x' }), 'FailedOperation.SynchronizedGroupNotUpdate');
    await failure('AddUserToGroup', demo.AddUserToGroup({ ZoneId, GroupId: synced.GroupId!, UserId: bob.UserId! }), 'FailedOperation.SynchronizedGroupNotAddUser');
    await failure('RemoveUserFromGroup', demo.RemoveUserFromGroup({ ZoneId, GroupId: synced.GroupId!, UserId: bob.UserId! }), 'FailedOperation.SynchronizedGroupNotRemoveUser');
    await failure('DeleteGroup', demo.DeleteGroup({ ZoneId, GroupId: synced.GroupId! }), 'FailedOperation.SynchronizedGroupNotDelete');
  });

  test('SAML single sign-on: the service provider, the identity provider from Okta-, OneLogin- and Entra-style metadata, certificates', async () => {
    const sp = await success('GetZoneSAMLServiceProviderInfo', demo.GetZoneSAMLServiceProviderInfo({ ZoneId }));
    expect(sp.SAMLServiceProvider).toMatchObject({ ZoneId, EntityId: `${live.url}/saml/sp/${ZoneId}`, AcsUrl: `${live.url}/saml/sp/${ZoneId}/acs` });
    await failure('GetExternalSAMLIdentityProvider', demo.GetExternalSAMLIdentityProvider({ ZoneId }), 'ResourceNotFound.SAMLIdentityProviderNotFound');
    await failure('GetExternalSAMLIdentityProvider', other.GetExternalSAMLIdentityProvider({ ZoneId }), 'FailedOperation.ZoneIdNotExist');

    for (const shape of ['okta', 'onelogin', 'entra'] as const) {
      const set = await success(
        'SetExternalSAMLIdentityProvider',
        demo.SetExternalSAMLIdentityProvider({ ZoneId, EncodedMetadataDocument: Buffer.from(idp.metadata(shape)).toString('base64'), SSOStatus: 'Enabled' }),
      );
      const got = await success('GetExternalSAMLIdentityProvider', demo.GetExternalSAMLIdentityProvider({ ZoneId }));
      expect(got.SAMLIdentityProviderConfiguration).toMatchObject({ EntityId: idp.entityId(shape), LoginUrl: idp.loginUrl(shape), SSOStatus: 'Enabled', CertificateIds: set.CertificateIds });
    }
    await failure('SetExternalSAMLIdentityProvider', demo.SetExternalSAMLIdentityProvider({ ZoneId, EncodedMetadataDocument: '!!' }), 'FailedOperation.DecodeMetadataDocumentFailed');
    await failure('SetExternalSAMLIdentityProvider', demo.SetExternalSAMLIdentityProvider({ ZoneId, SSOStatus: 'On' }), 'InvalidParameterValue.SSoStatusInvalid');

    const added = await success('AddExternalSAMLIdPCertificate', demo.AddExternalSAMLIdPCertificate({ ZoneId, X509Certificate: spare.certificatePem }));
    await failure('AddExternalSAMLIdPCertificate', demo.AddExternalSAMLIdPCertificate({ ZoneId, X509Certificate: spare.certificatePem }), 'FailedOperation.X509CertificateAlreadyExist');
    const listed = await success('ListExternalSAMLIdPCertificates', demo.ListExternalSAMLIdPCertificates({ ZoneId }));
    expect(listed.TotalCounts).toBe(2);
    expect(listed.SAMLIdPCertificates?.[1]).toMatchObject({ CertificateId: added.CertificateId, Version: 3, SignatureAlgorithm: 'SHA256withRSA' });
    await success('RemoveExternalSAMLIdPCertificate', demo.RemoveExternalSAMLIdPCertificate({ ZoneId, CertificateId: added.CertificateId! }));
    const [last] = (await demo.ListExternalSAMLIdPCertificates({ ZoneId })).SAMLIdPCertificates ?? [];
    await failure('RemoveExternalSAMLIdPCertificate', demo.RemoveExternalSAMLIdPCertificate({ ZoneId, CertificateId: last!.CertificateId! }), 'FailedOperation.X509CertificateMinimumRequired');
    await failure('ClearExternalSAMLIdentityProvider', demo.ClearExternalSAMLIdentityProvider({ ZoneId }), 'FailedOperation.SSoStatusEnableNotClearIdentityProvider');
    await success('SetExternalSAMLIdentityProvider', demo.SetExternalSAMLIdentityProvider({ ZoneId, SSOStatus: 'Disabled' }));
    await success('ClearExternalSAMLIdentityProvider', demo.ClearExternalSAMLIdentityProvider({ ZoneId }));
    await failure('ClearExternalSAMLIdentityProvider', demo.ClearExternalSAMLIdentityProvider({ ZoneId }), 'ResourceNotFound.SAMLIdentityProviderNotFound');
  });

  test('every implemented action answered at least one success that matches its response schema', () => {
    expect(IMPLEMENTED.length).toBeGreaterThanOrEqual(25);
    expect(IMPLEMENTED.filter((action) => !observed.succeeded.has(action))).toEqual([]);
  });

  test('every error code an action answered is documented for that action (or common, or a listed exception)', () => {
    const undocumented = [...observed.codes].flatMap(([action, codes]) =>
      [...codes].filter((code) => !isDocumented(action, code)).map((code) => `${action}: ${code}`),
    );
    expect(observed.codes.size).toBeGreaterThan(15);
    expect(undocumented).toEqual([]);
  });

  test('every listed exception to the documented codes was answered here (none is stale)', () => {
    const listed = Object.entries(UNDOCUMENTED_BUT_RETURNED).flatMap(([action, codes]) => Object.keys(codes).map((code) => `${action}: ${code}`));
    const answered = new Set([...observed.codes].flatMap(([action, codes]) => [...codes].map((code) => `${action}: ${code}`)));
    expect(listed.filter((entry) => !answered.has(entry))).toEqual([]);
  });
});
