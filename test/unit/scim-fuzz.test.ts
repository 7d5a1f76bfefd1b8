/**
 * Deterministic fuzzing: mangled filters and PATCH bodies must only ever raise ScimError,
 * never a TypeError or RangeError, whatever shape the stored resource is in.
 */
import {
  GROUP_RESOURCE,
  PATCH_OP_SCHEMA,
  ScimError,
  USER_RESOURCE,
  applyPatch,
  compileFilter,
  makeSortComparator,
  projectAttributes,
  type JsonObject,
  type JsonValue,
} from '../../src/scim/engine/index.js';

let seed = 12345;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Deliberately malformed stored data: the engine must cope without crashing. */
const user: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u', userName: 'a', active: 'true',
  emails: [{ value: 'x', type: 'work' }, 'weird', null, 5], name: { givenName: 'x' }, meta: { lastModified: 7 },
};
const group: JsonObject = { id: 'g', displayName: 'g', members: [{ value: 'x' }, 'bad'] };

function captureNonScim(fn: () => void, label: string, bad: string[]): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ScimError)) bad.push(`${label} => ${String(e)}`);
  }
}

test('mangled filters only raise ScimError', () => {
  const seeds = ['userName eq "a"', 'emails[type eq "work"].value eq "x"', 'not (a pr) or (b gt 1 and c lt "x")',
    'meta.lastModified gt "2020-01-01T00:00:00Z"', `${ENT}:manager.value eq "x"`, 'members[value eq "u"]', 'name.givenName co "\\u00e9"'];
  const chars = [...' ()[]."\\:aeqnotrp1-$,\''];
  const bad: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let s = pick(seeds);
    for (let j = 0, n = 1 + Math.floor(rnd() * 4); j < n; j++) {
      const p = Math.floor(rnd() * (s.length + 1));
      const r = rnd();
      if (r < 0.4) s = s.slice(0, p) + s.slice(p + 1);
      else if (r < 0.8) s = s.slice(0, p) + pick(chars) + s.slice(p);
      else s = s.slice(0, p) + s.slice(p, p + 5).toUpperCase() + s.slice(p + 5);
    }
    for (const schema of [USER_RESOURCE, GROUP_RESOURCE]) captureNonScim(() => compileFilter(s, schema)(user), s, bad);
  }
  expect(bad.slice(0, 5)).toEqual([]);
});

test('random PATCH operations only raise ScimError', () => {
  const values: JsonValue[] = [null, 1, 'x', 'True', true, [], [null], [1, 'a'], {}, { value: 'x' }, { value: null },
    [{ value: 'x' }, { value: 'y', primary: true }], { a: { b: 1 } }, { givenName: 'x' }, [{ $ref: null, value: 'm' }]];
  const paths: JsonValue[] = ['userName', 'name', 'name.givenName', 'emails', 'emails[type eq "work"]', 'emails[type eq "work"].value',
    'manager', ENT, `${ENT}:manager.value`, 'members', 'members[value eq "x"]', 'id', 'meta', 'groups', 'active', 'displayName', 5, 'emails[', 'x'];
  const bad: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const Operations: JsonValue[] = [];
    for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) {
      const op: JsonObject = { op: pick(['add', 'Replace', 'remove', 'REMOVE', 'x']) };
      if (rnd() < 0.8) op['path'] = pick(paths);
      if (rnd() < 0.9) op['value'] = rnd() < 0.3 ? { [String(pick(paths))]: pick(values) } : pick(values);
      Operations.push(op);
    }
    const body: JsonObject = { schemas: [PATCH_OP_SCHEMA], Operations };
    for (const [resource, schema, sortBy] of [[user, USER_RESOURCE, 'emails.value'], [group, GROUP_RESOURCE, 'displayName']] as const) {
      captureNonScim(() => {
        const r = applyPatch(resource, body, schema);
        projectAttributes(r.resource, { attributes: 'emails.value,name', excludedAttributes: 'members' }, schema);
        [r.resource, resource].sort(makeSortComparator(sortBy, schema));
      }, JSON.stringify(body), bad);
    }
  }
  expect(bad.slice(0, 5)).toEqual([]);
});
