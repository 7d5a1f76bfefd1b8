/** StringInterner: one kept string per value, within its count and length bounds. */
import { StringInterner } from '../../src/runtime/interner.js';

test('a value is kept once, however often it comes', () => {
  const interner = new StringInterner(4);
  for (let i = 0; i < 3; i++) expect(interner.intern('/scim/v2/Users')).toBe('/scim/v2/Users');
  expect(interner.size).toBe(1);
});

test('past its count it passes new values through without keeping them', () => {
  const interner = new StringInterner(2);
  for (const value of ['a', 'b', 'c', 'd']) expect(interner.intern(value)).toBe(value);
  expect(interner.size).toBe(2);
});

test('values longer than maxLength are passed through and never take a place', () => {
  const interner = new StringInterner(2, 8);
  const long = 'x'.repeat(9);
  expect(interner.intern(long)).toBe(long);
  expect(interner.size).toBe(0);
  expect(interner.intern('12345678')).toBe('12345678');
  expect(interner.size).toBe(1);
});
