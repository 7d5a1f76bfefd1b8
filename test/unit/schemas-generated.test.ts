/**
 * The request schemas and the TypeScript catalog are generated from the
 * committed API model (model/organization-2021-03-31.json) and committed.
 * These tests keep the committed files in step with the generator, and pin
 * the schema behaviours the API layer relies on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Ajv, type AnySchemaObject, type Options, type ValidateFunction } from 'ajv';

import { readModel } from '../../scripts/api-model.js';
import { CATALOG_FILE, PROJECT_ROOT, SCHEMA_DIR, generate, render } from '../../scripts/gen-schemas.js';
import {
  ACTION_ERROR_CODES,
  ORGANIZATION_ACTIONS,
  SCHEMA_EXTENSION_KEYWORDS,
  type ActionRequest,
  type ActionResponse,
} from '../../src/generated/organization-2021-03-31.js';

function loadSchema(action: string): AnySchemaObject {
  const file = path.join(PROJECT_ROOT, SCHEMA_DIR, `${action}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as AnySchemaObject;
}

function responseSchema(schema: AnySchemaObject): AnySchemaObject {
  const response: unknown = schema['x-tc-response'];
  if (typeof response !== 'object' || response === null) throw new Error(`${String(schema.title)}: no x-tc-response`);
  return response as AnySchemaObject;
}

/** Strict ajv that knows the generator's annotation keywords (they carry no validation). */
function strictAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, ...options });
  for (const keyword of SCHEMA_EXTENSION_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

describe('generated files', () => {
  let outDir: string | undefined;

  afterAll(() => {
    if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
  });

  test('regenerating from the committed model reproduces the committed files byte for byte (else: npm run gen:schemas)', () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'tce-gen-schemas-'));
    const files = generate({ outDir });

    expect(files.map((f) => f.path)).toContain(CATALOG_FILE);
    expect(files).toHaveLength(ORGANIZATION_ACTIONS.length + 1);
    const generatedDir = outDir;
    const differing = files
      .filter((f) => {
        const committed = path.join(PROJECT_ROOT, f.path);
        return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(path.join(generatedDir, f.path)));
      })
      .map((f) => f.path);
    expect(differing).toEqual([]);

    // No schema left behind for an action that is no longer in the model.
    const committedSchemas = readdirSync(path.join(PROJECT_ROOT, SCHEMA_DIR)).filter((n) => n.endsWith('.json'));
    expect(committedSchemas.sort()).toEqual(ORGANIZATION_ACTIONS.map((a) => `${a}.json`).sort());
  });

  test('a change to the model shows in the generated files (the comparison above is not vacuous)', () => {
    const model = readModel();
    const createUser = model.objects.get('CreateUserRequest');
    if (!createUser) throw new Error('CreateUserRequest missing from the model');
    const changed = { ...model, objects: new Map(model.objects).set('CreateUserRequest', createUser.map((m) => ({ ...m, required: true }))) };
    const before = render(model).find((f) => f.path.endsWith('/CreateUser.json'))?.content;
    const after = render(changed).find((f) => f.path.endsWith('/CreateUser.json'))?.content;
    expect(before).toBeDefined();
    expect(after).not.toBe(before);
  });

  test('the catalog lists error codes for exactly the generated actions, as the model gives them', () => {
    expect(Object.keys(ACTION_ERROR_CODES).sort()).toEqual([...ORGANIZATION_ACTIONS].sort());
    const model = readModel();
    expect(Object.fromEntries(model.actions.map((a) => [a.name, a.errorCodes]))).toEqual(ACTION_ERROR_CODES);
    expect(ACTION_ERROR_CODES.CreateSCIMCredential).toContain('LimitExceeded.ScimCredentialLimitExceeded');
  });
});

describe('generated schemas', () => {
  const ajv = strictAjv();
  const validators = new Map<string, ValidateFunction>();
  const validator = (action: string): ValidateFunction => {
    let validate = validators.get(action);
    if (validate === undefined) {
      validate = ajv.compile(loadSchema(action));
      validators.set(action, validate);
    }
    return validate;
  };

  test('every request schema compiles in ajv strict mode and names its action', () => {
    const failures: string[] = [];
    for (const action of ORGANIZATION_ACTIONS) {
      try {
        const schema = loadSchema(action);
        expect(schema).toMatchObject({
          type: 'object',
          additionalProperties: false,
          title: `${action}Request`,
          'x-tc-action': action,
          'x-tc-version': '2021-03-31',
          'x-tc-status': 'online',
          'x-generated-by': 'scripts/gen-schemas.ts',
        });
        validator(action);
      } catch (error) {
        failures.push(`${action}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('every response description compiles as a JSON Schema (nullable members use type unions)', () => {
    const responseAjv = strictAjv({ allowUnionTypes: true });
    const failures: string[] = [];
    for (const action of ORGANIZATION_ACTIONS) {
      try {
        const schema = responseSchema(loadSchema(action));
        expect(schema.title).toBe(`${action}Response`);
        expect(schema.required).toContain('RequestId');
        responseAjv.compile(schema);
      } catch (error) {
        failures.push(`${action}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('no documentation text or examples are carried into the schemas', () => {
    for (const action of ORGANIZATION_ACTIONS) {
      const text = readFileSync(path.join(PROJECT_ROOT, SCHEMA_DIR, `${action}.json`), 'utf8');
      expect(text).not.toMatch(/"(description|examples?|document|\$comment)"\s*:/);
    }
  });

  test('CreateSCIMCredential requires ZoneId and rejects unknown members', () => {
    const validate = validator('CreateSCIMCredential');
    expect(validate({ ZoneId: 'z-abcdefghijkl', ExpireDuration: 3600 })).toBe(true);

    expect(validate({ ExpireDuration: 3600 })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'ZoneId' } }),
    ]);

    expect(validate({ ZoneId: 'z-abcdefghijkl', Unknown: 1 })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'Unknown' } }),
    ]);

    // uint64 members accept no negative values.
    expect(validate({ ZoneId: 'z-abcdefghijkl', ExpireDuration: -1 })).toBe(false);
  });

  test('ListUsers FilterGroups is an array of strings', () => {
    const validate = validator('ListUsers');
    expect(validate({ ZoneId: 'z-1', FilterGroups: ['g-1', 'g-2'] })).toBe(true);
    expect(validate({ ZoneId: 'z-1', FilterGroups: 'g-1' })).toBe(false);
    expect(validate({ ZoneId: 'z-1', FilterGroups: [1] })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/FilterGroups/0', keyword: 'type' })]);
  });

  test('ListUsers MaxResults is limited to 1..100 by the overlay', () => {
    const validate = validator('ListUsers');
    expect(validate({ ZoneId: 'z-1', MaxResults: 1 })).toBe(true);
    expect(validate({ ZoneId: 'z-1', MaxResults: 100 })).toBe(true);
    expect(validate({ ZoneId: 'z-1', MaxResults: 0 })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/MaxResults', keyword: 'minimum' })]);
    expect(validate({ ZoneId: 'z-1', MaxResults: 101 })).toBe(false);
    expect(validate({ ZoneId: 'z-1', MaxResults: 1.5 })).toBe(false);
  });

  test('status members carry no enum, so the domain can raise their dedicated error codes', () => {
    const validate = validator('UpdateSCIMCredentialStatus');
    expect(validate({ ZoneId: 'z-1', CredentialId: 'scimcred-1', NewStatus: 'Bogus' })).toBe(true);
  });

  test('nested request objects are inlined under definitions', () => {
    const validate = validator('CreateOrganizationMember');
    const base = { Name: 'm', PolicyType: 'Financial', PermissionIds: [1], NodeId: 1, AccountName: 'a' };
    expect(validate({ ...base, Tags: [{ TagKey: 'k', TagValue: 'v' }] })).toBe(true);
    expect(validate({ ...base, Tags: [{ TagKey: 'k' }] })).toBe(false);
    expect(validate({ ...base, Tags: [{ TagKey: 'k', TagValue: 'v', Extra: true }] })).toBe(false);
  });

  test('the response description checks response members', () => {
    const validate = strictAjv({ allowUnionTypes: true }).compile(responseSchema(loadSchema('CreateSCIMCredential')));
    const response: ActionResponse<'CreateSCIMCredential'> & { RequestId: string } = {
      ZoneId: 'z-abcdefghijkl',
      CredentialId: 'scimcred-abcdefghijkl',
      CredentialType: 'BearerToken',
      CreateTime: '2025-01-01T00:00:00Z',
      ExpireTime: '2026-01-01T00:00:00Z',
      CredentialStatus: 'Enabled',
      CredentialSecret: 'secret',
      RequestId: 'req-1',
    };
    expect(validate(response)).toBe(true);
    const { CredentialSecret: _omitted, ...withoutSecret } = response;
    expect(validate(withoutSecret)).toBe(false);
    expect(validate({ ...response, Extra: 1 })).toBe(false);

    // The request type matches the schema's view of the same action.
    const request: ActionRequest<'CreateSCIMCredential'> = { ZoneId: 'z-abcdefghijkl' };
    expect(validator('CreateSCIMCredential')(request)).toBe(true);
  });
});
