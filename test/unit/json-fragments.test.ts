import { jest } from '@jest/globals';
import { stringify, withJsonText } from '../../src/api/json-fragments.js';
import { successBody, successText } from '../../src/api/envelope.js';

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

describe('successText', () => {
  const results: object[] = [
    {},
    { TotalCounts: 0, SCIMCredentials: [] },
    { Users: [withJsonText({ UserId: 'u-1', UserName: 'alice' }), withJsonText({ UserId: 'u-2', UserName: 'bob' })], NextToken: undefined, TotalCounts: 2 },
    { Skipped: undefined },
    { 2: 'numeric keys first', a: { nested: ['x', { deep: 1 }] }, text: 'quotes " and \u2028' },
    { RequestId: 'from the handler', Other: 1 },
    // A result whose own text is remembered, and one that is not a plain object: the envelope is built as successBody builds it.
    withJsonText({ Remembered: true, Items: [1, 2] }),
    new (class Result {
      Kind = 'instance';
      toJSON() {
        return { Hidden: true };
      }
    })(),
    { Skipped: undefined, Kept: 1 },
  ];

  test.each(results.map((r) => [r]))('is the JSON text of the envelope successBody builds, for %p', (result) => {
    expect(successText(result, '00000000-0000-4000-8000-000000000001').toString()).toBe(JSON.stringify(successBody(result, '00000000-0000-4000-8000-000000000001')));
  });

  test('puts RequestId last and escapes it as JSON', () => {
    expect(JSON.parse(successText({ A: 1 }, 'id"with quote').toString())).toEqual({ Response: { A: 1, RequestId: 'id"with quote' } });
    expect(Object.keys((JSON.parse(successText({ A: 1, B: 2 }, 'r').toString()) as { Response: object }).Response)).toEqual(['A', 'B', 'RequestId']);
  });
});
