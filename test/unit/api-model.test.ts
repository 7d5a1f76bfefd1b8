/**
 * The committed API model (model/organization-2021-03-31.json): facts only,
 * checked on read, in step with the reference where the reference is present,
 * and the source of every error code the emulator's handlers raise.
 */
import { readFileSync } from 'node:fs';

import { MODEL_FILE, defaultModelFile, parseModel, readModel, renderModel, type ApiModel, type Member } from '../../scripts/api-model.js';
import { buildModel, defaultReferenceDir, documentedFacts, referenceExists } from '../../scripts/build-model.js';
import { SCHEMA_OVERLAYS } from '../../scripts/schema-overlays.js';
import { MESSAGES } from '../../src/errors/messages.js';
import { COMMON_ERROR_CODES, UNDOCUMENTED_BUT_RETURNED } from '../helpers/error-codes.js';

const model: ApiModel = readModel();
const modelText = readFileSync(defaultModelFile(), 'utf8');

function member(objectName: string, name: string): Member {
  const found = model.objects.get(objectName)?.find((m) => m.name === name);
  if (!found) throw new Error(`${objectName}.${name} is not in the model`);
  return found;
}

function requestOf(action: string): string {
  const found = model.actions.find((a) => a.name === action);
  if (!found) throw new Error(`${action} is not in the model`);
  return found.request;
}

describe('the committed model', () => {
  // Runs where the API reference is (the maintainers' machines); a clone without it shows this test as skipped.
  (referenceExists() ? test : test.skip)(`is what scripts/build-model.ts makes of the reference at ${defaultReferenceDir()} (else: npm run model:build)`, () => {
    expect(renderModel(buildModel())).toBe(modelText);
  });

  test('is written the way renderModel writes it (so a rebuild gives a minimal diff)', () => {
    expect(renderModel(parseModel(modelText))).toBe(modelText);
  });

  test('holds no documentation text: every string is a name, a code, a value or a hash', () => {
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          strings.push(key);
          walk(item);
        }
      }
    };
    walk(JSON.parse(modelText));
    const prose = strings.filter((s) => /\s/.test(s) || s.length > 80);
    expect(prose).toEqual([]);
    expect(modelText).not.toMatch(/"(document|example|description)"\s*:/i);
  });

  test('describes the Identity Center actions the emulator implements, with their request members', () => {
    expect(model.actions.length).toBeGreaterThan(100);
    expect(model.objects.get(requestOf('CreateUser'))?.map((m) => m.name)).toEqual([
      'ZoneId',
      'UserName',
      'FirstName',
      'LastName',
      'DisplayName',
      'Description',
      'Email',
      'UserStatus',
      'UserType',
      'NeedResetPassword',
    ]);
    expect(member('CreateUserRequest', 'ZoneId')).toMatchObject({ required: true, value: { kind: 'scalar', scalar: 'string' } });
    expect(member('ListUsersRequest', 'FilterGroups')).toMatchObject({ list: true, value: { kind: 'scalar', scalar: 'string' } });
    expect(member('CreateSCIMCredentialRequest', 'ExpireDuration').value).toEqual({ kind: 'scalar', scalar: 'uint64' });
  });

  test('keeps the documented enumerations and limits of the Identity Center members', () => {
    expect(member('UpdateUserStatusRequest', 'NewUserStatus').enum).toEqual(['Enabled', 'Disabled']);
    expect(member('UpdateSCIMCredentialStatusRequest', 'NewStatus').enum).toEqual(['Enabled', 'Disabled']);
    expect(member('UpdateSCIMSynchronizationStatusRequest', 'SCIMSynchronizationStatus').enum).toEqual(['Enabled', 'Disabled']);
    expect(member('CreateUserRequest', 'UserType').enum).toEqual(['Manual', 'Synchronized']);
    expect(member('ListUsersRequest', 'SortType').enum).toEqual(['Desc', 'Asc']);
    expect(member('OpenIdentityCenterRequest', 'ZoneName')).toMatchObject({ minLength: 2, maxLength: 64 });
    expect(member('CreateUserRequest', 'UserName').maxLength).toBe(64);
    expect(member('CreateGroupRequest', 'GroupName').maxLength).toBe(128);
    expect(member('ListGroupsRequest', 'MaxResults')).toMatchObject({ minimum: 1, maximum: 100 });
  });

  test('every constraint the schema overlays add is one the model documents for that member', () => {
    const mismatches: string[] = [];
    for (const [action, paths] of Object.entries(SCHEMA_OVERLAYS)) {
      for (const [memberPath, keywords] of Object.entries(paths)) {
        if (memberPath.includes('.') || memberPath.includes('[')) {
          mismatches.push(`${action}.${memberPath}: nested overlay paths need a model lookup here`);
          continue;
        }
        const documented = member(requestOf(action), memberPath);
        for (const [keyword, value] of Object.entries(keywords)) {
          const fact = (documented as unknown as Record<string, unknown>)[keyword];
          if (fact !== value) mismatches.push(`${action}.${memberPath} ${keyword}: overlay ${JSON.stringify(value)}, model ${JSON.stringify(fact)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('reading a model file', () => {
  const withMember = (extra: Record<string, unknown>): string => {
    const doc = JSON.parse(modelText) as { objects: Record<string, Record<string, unknown>[]> };
    const first = doc.objects.CreateUserRequest?.[0];
    if (!first) throw new Error('no CreateUserRequest');
    Object.assign(first, extra);
    return JSON.stringify(doc);
  };

  test('refuses a member of an unknown type, naming where', () => {
    expect(() => parseModel(withMember({ type: 'NoSuchObject' }))).toThrow(/CreateUserRequest\[0\].*NoSuchObject/);
  });

  test('refuses a member key it does not know (such as copied documentation)', () => {
    expect(() => parseModel(withMember({ document: 'Space ID.' }))).toThrow(/unknown key "document"/);
  });

  test('refuses a model of another API version', () => {
    expect(() => parseModel(modelText.replace('"version": "2021-03-31"', '"version": "2020-01-01"'))).toThrow(/expected organization 2021-03-31/);
  });

  test(`the error names the file (${MODEL_FILE})`, () => {
    expect(() => parseModel('{"format": 2}')).toThrow(MODEL_FILE);
  });
});

describe('facts read from member documentation', () => {
  const string = { kind: 'scalar', scalar: 'string' } as const;
  const int = { kind: 'scalar', scalar: 'int64' } as const;

  test.each([
    ['Status. Valid values: Enabled (default), Disabled.', ['Enabled', 'Disabled']],
    ['Type. Manual: manually created, Synchronized: imported.', ['Manual', 'Synchronized']],
    ['Order. Desc: descending; Asc: ascending. Set it with SortField.', ['Desc', 'Asc']],
    ['User status: Enabled, Disabled.', ['Enabled', 'Disabled']],
    ['Task status. Valid values: InProgress: running; Success: done; Failed: failed.', ['InProgress', 'Success', 'Failed']],
  ])('%j gives the values %j', (doc, values) => {
    expect(documentedFacts(doc, string, false).enum).toEqual(values);
  });

  test.each([
    'Space ID.',
    'Note: this is read only.',
    'Filter. Format: <Attribute> <Operator> <Value>.',
    '1: view bills. 2: view balance.',
  ])('%j gives no enumeration', (doc) => {
    expect(documentedFacts(doc, string, false).enum).toBeUndefined();
  });

  test('lengths and ranges are read only in their plain forms, and only for the matching type', () => {
    expect(documentedFacts('A name of up to 64 characters.', string, false)).toEqual({ maxLength: 64 });
    expect(documentedFacts('A name of 2-64 characters.', string, false)).toEqual({ minLength: 2, maxLength: 64 });
    expect(documentedFacts('Page size. Value range: 1-100. Default value: 10.', int, false)).toEqual({ minimum: 1, maximum: 100 });
    expect(documentedFacts('Page size. Value range: 1-100.', string, false)).toEqual({});
    expect(documentedFacts('Up to 64 characters, or up to 128 characters for groups.', string, false)).toEqual({});
    expect(documentedFacts('Valid values: A, B.', string, true)).toEqual({});
  });
});

describe('error codes the handlers raise', () => {
  const documented = new Set(model.actions.flatMap((a) => a.errorCodes));

  test('every service-specific code in the message table is one the model documents for at least one action', () => {
    const serviceCodes = [...new Set(Object.values(MESSAGES).map((m) => m.code))].filter((c) => !COMMON_ERROR_CODES.has(c));
    expect(serviceCodes.length).toBeGreaterThan(20);
    expect(serviceCodes.filter((c) => !documented.has(c))).toEqual([]);
  });

  test('every code returned although undocumented for its action is documented for another action', () => {
    const entries = Object.entries(UNDOCUMENTED_BUT_RETURNED).flatMap(([action, codes]) => Object.keys(codes).map((code) => ({ action, code })));
    expect(entries.filter(({ code }) => !documented.has(code))).toEqual([]);
    // ...and truly is undocumented for its own action (else the exception is stale).
    const actionCodes = new Map(model.actions.map((a) => [a.name, new Set(a.errorCodes)]));
    expect(entries.filter(({ action, code }) => actionCodes.get(action)?.has(code) ?? true)).toEqual([]);
  });
});
