import { jest } from '@jest/globals';
import { RecordMemo } from '../../src/runtime/record-memo.js';

interface Rec {
  readonly id: string;
  readonly name: string;
}

describe('RecordMemo', () => {
  test('builds once per record object', () => {
    const build = jest.fn((r: Rec) => `${r.id}:${r.name}`);
    const memo = new RecordMemo(build);
    const a: Rec = Object.freeze({ id: '1', name: 'alice' });
    expect(memo.get(a)).toBe('1:alice');
    expect(memo.get(a)).toBe('1:alice');
    expect(build).toHaveBeenCalledTimes(1);
  });

  test('a changed record (a new object, as the store puts it) is built afresh, never served the old value', () => {
    const memo = new RecordMemo((r: Rec) => `${r.id}:${r.name}`);
    const before: Rec = Object.freeze({ id: '1', name: 'alice' });
    expect(memo.get(before)).toBe('1:alice');
    const after: Rec = Object.freeze({ ...before, name: 'alicia' });
    expect(memo.get(after)).toBe('1:alicia');
  });

  test('holds at most `capacity` records, the oldest leaving first', () => {
    const build = jest.fn((r: Rec) => r.name);
    const memo = new RecordMemo(build, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => Object.freeze({ id: name, name }));
    memo.get(a!);
    memo.get(b!);
    memo.get(c!);
    expect(memo.size).toBe(2);
    memo.get(c!);
    memo.get(b!);
    expect(build).toHaveBeenCalledTimes(3);
    memo.get(a!); // aged out: built again
    expect(build).toHaveBeenCalledTimes(4);
  });

  test('refuses a capacity below 1', () => {
    expect(() => new RecordMemo((r: Rec) => r, 0)).toThrow(RangeError);
  });
});
