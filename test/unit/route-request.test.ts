import { needsExpress } from '../../src/route-request.js';

// Express's router used to route everything: /scim/v2 and /_emulator as
// case-insensitive whole-segment prefixes of the pathname, the rest to the API.
describe('which surface answers a request target', () => {
  test.each([
    '/scim/v2',
    '/scim/v2/',
    '/scim/v2/Users',
    '/SCIM/V2/Users?filter=x',
    '/scim/v2?x=1',
    '/_emulator',
    '/_emulator/health',
    '/_Emulator/health',
  ])('%s goes to Express', (url) => {
    expect(needsExpress(url)).toBe(true);
  });

  test.each(['/', '/?Action=ListUsers', '/scim/v2x', '/scim//v2', '/scim%2Fv2/Users', '/v2/index.php', '//scim/v2', '/_emulatorx'])(
    '%s goes straight to the API pipeline',
    (url) => {
      expect(needsExpress(url)).toBe(false);
    },
  );

  test.each(['http://127.0.0.1:9000/', '*', '/#frag', '/a b'])('%s, which only Express parses the same way, goes to Express', (url) => {
    expect(needsExpress(url)).toBe(true);
  });
});
