// A jest test for code that uses the official Tencent Cloud Node SDK, against an
// emulator the test starts itself: in memory, on a free port, in strict auth mode
// (the SDK's signatures are verified, as on the real service).
//
//   npm install --save-dev tencentcloud-emulator tencentcloud-sdk-nodejs jest
import { start, type RunningEmulator } from 'tencentcloud-emulator';
import { organization } from 'tencentcloud-sdk-nodejs';

// The demo account of the emulator's default fixtures (fixtures/default.json).
const credential = { secretId: 'AKIDEMULATORDEMO00000000000000000001', secretKey: 'EmulatorDemoSecretKey000000000001' };

let emulator: RunningEmulator;
let client: InstanceType<typeof organization.v20210331.Client>;
let ZoneId: string;

beforeAll(async () => {
  emulator = await start({ port: 0, dataFile: null, auth: 'strict', logLevel: 'silent' });
  client = new organization.v20210331.Client({
    credential,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://' } },
  });
  ZoneId = (await client.DescribeIdentityCenter()).ZoneId ?? '';
});

afterAll(() => emulator.close());

test('a new user can join a new group, and the group lists the user', async () => {
  const { UserInfo: user } = await client.CreateUser({ ZoneId, UserName: 'alice', Email: 'alice@example.com' });
  const { GroupInfo: group } = await client.CreateGroup({ ZoneId, GroupName: 'readers' });
  await client.AddUserToGroup({ ZoneId, GroupId: group?.GroupId ?? '', UserId: user?.UserId ?? '' });

  const members = await client.ListGroupMembers({ ZoneId, GroupId: group?.GroupId ?? '' });
  expect(members.GroupMembers?.map((m) => m.UserName)).toEqual(['alice']);
});

test('a zone holds at most two SCIM keys, as on the real service', async () => {
  await client.CreateSCIMCredential({ ZoneId });
  await client.CreateSCIMCredential({ ZoneId });
  await expect(client.CreateSCIMCredential({ ZoneId })).rejects.toMatchObject({ code: 'LimitExceeded.ScimCredentialLimitExceeded' });
});

test('a request signed with the wrong key is refused', async () => {
  const impostor = new organization.v20210331.Client({
    credential: { ...credential, secretKey: 'not-the-key' },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://' } },
  });
  await expect(impostor.DescribeIdentityCenter()).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
});
