import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ApiError } from '../errors/api-error.js';

/** Keywords the schema generator adds for people and tools; ajv only needs to know they are not typos. */
const ANNOTATION_KEYWORDS = ['x-tc-action', 'x-tc-version', 'x-tc-status', 'x-tc-response', 'x-generated-by'];

function newAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, coerceTypes: coerce ? 'array' : false, useDefaults: false });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array'] });
  return ajv;
}

interface CompiledAction {
  /** For JSON bodies: types must already be right, as on the real service. */
  json: ValidateFunction;
  /** For query strings and forms: every value arrives as a string and is coerced to its schema type. */
  flat: ValidateFunction;
}

/** Compiles every action schema of a folder once, at start-up. */
export class ActionValidator {
  private readonly compiled = new Map<string, CompiledAction>();

  constructor(schemaDir: string) {
    const jsonAjv = newAjv(false);
    const flatAjv = newAjv(true);
    for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Record<string, unknown>;
      const action = file.slice(0, -'.json'.length);
      this.compiled.set(action, { json: jsonAjv.compile(schema), flat: flatAjv.compile(structuredClone(schema)) });
    }
  }

  has(action: string): boolean {
    return this.compiled.has(action);
  }

  /** Validates (and, for string input, coerces in place) the parameters; throws the matching ApiError. */
  validate(action: string, params: Record<string, unknown>, fromStrings: boolean): void {
    const compiled = this.compiled.get(action);
    if (!compiled) throw new Error(`no schema compiled for ${action}`);
    const check = fromStrings ? compiled.flat : compiled.json;
    if (check(params)) return;
    throw toApiError(action, check.errors?.[0]);
  }
}

/** `/Filters/0/Name` -> `Filters.0.Name`: the spelling clients use for nested members. */
function memberName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.join('.') || '(request)';
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'a list',
  object: 'an object',
};

export function toApiError(action: string, error: ErrorObject | undefined): ApiError {
  if (!error) return new ApiError('wrongType', { name: '(request)', expected: 'valid' });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return new ApiError('missingParameter', { name: memberName(error.instancePath, String(params.missingProperty)) });
    case 'additionalProperties':
      return new ApiError('unknownParameter', {
        name: memberName(error.instancePath, String(params.additionalProperty)),
        action,
      });
    case 'type':
      return new ApiError('wrongType', {
        name: memberName(error.instancePath),
        expected: TYPE_WORDS[String(params.type)] ?? String(params.type),
      });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must be ${String(params.comparison)} ${String(params.limit)}`,
      });
    case 'maxLength':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must be at most ${String(params.limit)} characters long`,
      });
    case 'minLength':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must be at least ${String(params.limit)} characters long`,
      });
    case 'maxItems':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must have at most ${String(params.limit)} items`,
      });
    case 'enum':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      });
    case 'pattern':
      return new ApiError('valueOutOfRange', {
        name: memberName(error.instancePath),
        rule: `must match ${String(params.pattern)}`,
      });
    default:
      return new ApiError('valueOutOfRange', { name: memberName(error.instancePath), rule: error.message ?? 'is invalid' });
  }
}
