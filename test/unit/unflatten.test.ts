import { ApiError } from '../../src/errors/api-error.js';
import { MAX_PARAMETER_DEPTH, unflatten } from '../../src/api/unflatten.js';

function failure(flat: Record<string, string>): ApiError {
  try {
    unflatten(flat);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

test('flattened names become nested members and lists in index order', () => {
  expect(unflatten({ 'Filters.1.Name': 'b', 'Filters.0.Name': 'a', 'Filters.0.Values.0': 'x', ZoneId: 'z' })).toEqual({
    Filters: [{ Name: 'a', Values: ['x'] }, { Name: 'b' }],
    ZoneId: 'z',
  });
});

test(`a name nested ${MAX_PARAMETER_DEPTH} levels is accepted`, () => {
  expect(() => unflatten({ [`A${'.0'.repeat(MAX_PARAMETER_DEPTH - 1)}`]: 'v' })).not.toThrow();
});

test('8,000 nested segments are InvalidParameter, not a stack overflow', () => {
  const error = failure({ [`A${'.0'.repeat(8000)}`]: 'v' });
  expect(error.code).toBe('InvalidParameter');
  expect(error.localizedMessage('en-US')).toMatch(/nested more than 16 levels/);
  expect(error.localizedMessage('zh-CN')).toMatch(/嵌套超过 16 层/);
  expect(error.localizedMessage('en-US').length).toBeLessThan(300);
});

test.each([
  [{ 'A..B': 'v' }, /empty segment/, /空的层级/],
  [{ 'A.__proto__.B': 'v' }, /reserved word/, /保留字/],
  [{ A: 'v', 'A.B': 'w' }, /plain value and nested members/, /普通值和嵌套成员/],
  [{ 'A.0': 'v', 'A.B': 'w' }, /mixes list indexes/, /混用了列表下标/],
])('%j is refused in either language without the other', (flat, en, zh) => {
  const error = failure(flat);
  expect(error.localizedMessage('en-US')).toMatch(en);
  expect(error.localizedMessage('zh-CN')).toMatch(zh);
  expect(error.localizedMessage('zh-CN')).not.toMatch(/[a-z]{4,} [a-z]{3,}/);
});
