import { jest } from '@jest/globals';
import { stringify, withJsonText } from '../../src/api/json-fragments.js';

describe('stringify', () => {
  const samples: unknown[] = [
    null,
    0,
    -1.5,
    'text with "quotes" and \u2028',
    true,
    [],
    {},
    [1, undefined, () => 1, 'x', null],
    { a: 1, b: undefined, c: () => 2, d: [{ e: 'f' }], 2: 'two', 1: 'one' },
    { Response: { Users: [{ UserId: 'u-1', Nested: { deep: [1, { deeper: true }] } }], RequestId: 'r' } },
    { when: new Date('2026-03-01T00:00:00Z'), map: new Map([[1, 2]]), custom: { toJSON: () => 'custom' } },
    Object.assign(Object.create(null) as Record<string, unknown>, { bare: 'object' }),
  ];

  test.each(samples.map((s) => [s]))('is JSON.stringify for %p', (value) => {
    expect(stringify(value)).toBe(JSON.stringify(value));
  });

  test('leaves out what has no JSON form at the top, as JSON.stringify does', () => {
    expect(stringify(undefined)).toBeUndefined();
  });

  test('reuses the remembered text of a frozen object instead of serialising it again', () => {
    const info = withJsonText({ UserName: 'alice', NeedResetPassword: false });
    expect(Object.isFrozen(info)).toBe(true);
    const page = { Response: { Users: [info, info], TotalCounts: 2, RequestId: 'r' } };
    expect(stringify(page)).toBe(JSON.stringify(page));
    // Proof that the text is reused: JSON.stringify is not asked about the remembered object.
    const spy = jest.spyOn(JSON, 'stringify');
    try {
      stringify(page);
      expect(spy.mock.calls.some(([arg]) => arg === info)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  test('a remembered object cannot be changed, so its text cannot go stale', () => {
    const info = withJsonText({ UserName: 'alice' });
    expect(() => {
      (info as { UserName: string }).UserName = 'mallory';
    }).toThrow(TypeError);
    expect(stringify([info])).toBe('[{"UserName":"alice"}]');
  });
});
