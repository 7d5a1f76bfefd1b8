// npm install tencentcloud-sdk-nodejs, then: node quickstart.mjs
import { organization } from 'tencentcloud-sdk-nodejs';

const client = new organization.v20210331.Client({
  credential: { secretId: 'AKIDEMULATORDEMO00000000000000000001', secretKey: 'EmulatorDemoSecretKey000000000001' },
  region: 'ap-guangzhou',
  profile: { httpProfile: { endpoint: '127.0.0.1:9000', protocol: 'http://' } },
});

const center = await client.DescribeIdentityCenter();
console.log(center.ZoneId, center.ZoneName, center.ServiceStatus); // z-emulatordemo emulator-demo Enabled

const users = await client.ListUsers({ ZoneId: center.ZoneId, MaxResults: 10 });
console.log(`${users.TotalCounts} users`, users.Users.map((u) => u.UserName));
