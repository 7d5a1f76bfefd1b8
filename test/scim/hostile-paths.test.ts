/** Resource ids an attacker or a broken client may send: always a SCIM 4xx with a SCIM error body, never a 500. */
import { expectScimError, scimEmulator, type ScimEmulator } from '../helpers/scim.js';

let t: ScimEmulator;
beforeAll(async () => {
  t = await scimEmulator();
});
afterAll(() => t.close());

const BAD_IDS = ['%ZZ', '%', '%E0%A4%A', '%C0%AF', 'a%2', '%FF%FE'];

test.each(BAD_IDS.flatMap((id) => (['GET', 'PUT', 'PATCH', 'DELETE'] as const).flatMap((method) => [
  [method, `/Users/${id}`] as const,
  [method, `/Groups/${id}`] as const,
])))('%s %s (a malformed %%-escape) is 400 invalidValue with a SCIM body', async (method, path) => {
  const body = method === 'GET' || method === 'DELETE' ? undefined : { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] };
  const res = await t.scim(method, path, body);
  expectScimError(res, 400, 'invalidValue');
});

test('an id that decodes to something unknown is 404 with a SCIM body', async () => {
  expectScimError(await t.scim('GET', '/Users/%41%42'), 404);
});
