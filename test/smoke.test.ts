import { Low, Memory } from 'lowdb';
import { v4 } from 'uuid';
import * as tc from 'tencentcloud-sdk-nodejs';
test('esm setup loads lowdb, uuid and the SDK', async () => {
  const db = new Low(new Memory<{ a: number }>(), { a: 1 });
  await db.write();
  expect(v4()).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof tc.organization.v20210331.Client).toBe('function');
});
