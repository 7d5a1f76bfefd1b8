import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ApiError } from '../errors/api-error.js';

/** Keywords the schema generator adds for people and tools; ajv only needs to know they are not typos. */
const ANNOTATION_KEYWORDS = ['x-tc-action', 'x-tc-version', 'x-tc-status', 'x-tc-response', 'x-generated-by'];

interface Compilers {
  json: Ajv;
  flat: Ajv;
}

type AjvClass = typeof Ajv;

/**
 * ajv costs about 50 ms to import: it is loaded with the first request that
 * needs validating, not at start-up, and once per process.
 */
let ajvModule: Promise<AjvClass> | undefined;

function newCompilers(AjvConstructor: AjvClass): Compilers {
  const newAjv = (coerce: boolean): Ajv => {
    const ajv = new AjvConstructor({ allErrors: false, strict: true, coerceTypes: coerce ? 'array' : false, useDefaults: false });
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array'] });
    return ajv;
  };
  return { json: newAjv(false), flat: newAjv(true) };
}

interface CompiledAction {
  /** For JSON bodies: types must already be right, as on the real service. */
  json: ValidateFunction;
  /** For query strings and forms: every value arrives as a string and is coerced to its schema type. */
  flat: ValidateFunction;
}

/**
 * Validates action parameters against the generated schemas. Each schema is
 * compiled on the first request for its action and kept: compiling all 126
 * actions twice at start-up would cost seconds for actions nobody calls.
 */
export class ActionValidator {
  private readonly compiled = new Map<string, CompiledAction>();
  private compilers: Compilers | undefined;
  private readonly actions: Set<string>;

  constructor(private readonly schemaDir: string) {
    this.actions = new Set(readdirSync(schemaDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  }

  has(action: string): boolean {
    return this.actions.has(action);
  }

  private compile(action: string, ajv: Compilers): CompiledAction {
    if (!this.actions.has(action)) throw new Error(`no schema for ${action}`);
    const schema = JSON.parse(readFileSync(join(this.schemaDir, `${action}.json`), 'utf8')) as Record<string, unknown>;
    const entry = { json: ajv.json.compile(schema), flat: ajv.flat.compile(structuredClone(schema)) };
    this.compiled.set(action, entry);
    return entry;
  }

  /**
   * Validates (and, for string input, coerces in place) the parameters; throws
   * the matching ApiError. Synchronous once ajv is loaded; until then it
   * returns a promise to wait for.
   */
  validate(action: string, params: Record<string, unknown>, fromStrings: boolean): void | Promise<void> {
    const compiled = this.compiled.get(action) ?? (this.compilers && this.compile(action, this.compilers));
    if (!compiled) {
      ajvModule ??= import('ajv').then((module) => module.Ajv);
      return ajvModule.then((AjvConstructor) => {
        this.compilers ??= newCompilers(AjvConstructor);
        return this.validate(action, params, fromStrings);
      });
    }
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

/** How a JSON type is named in each language's message. */
const TYPE_WORDS: Record<string, { en: string; zh: string }> = {
  integer: { en: 'an integer', zh: '整数' },
  number: { en: 'a number', zh: '数字' },
  string: { en: 'a string', zh: '字符串' },
  boolean: { en: 'a boolean', zh: '布尔值' },
  array: { en: 'a list', zh: '列表' },
  object: { en: 'an object', zh: '对象' },
};

const COMPARISONS: Record<string, string> = { '>=': '大于或等于', '<=': '小于或等于', '>': '大于', '<': '小于' };

function outOfRange(instancePath: string, rule: string, ruleZh: string): ApiError {
  return new ApiError('valueOutOfRange', { name: memberName(instancePath), rule, ruleZh });
}

export function toApiError(action: string, error: ErrorObject | undefined): ApiError {
  if (!error) return outOfRange('', 'is invalid', '无效');
  const params = error.params as Record<string, unknown>;
  const limit = String(params.limit);
  switch (error.keyword) {
    case 'required':
      return new ApiError('missingParameter', { name: memberName(error.instancePath, String(params.missingProperty)) });
    case 'additionalProperties':
      return new ApiError('unknownParameter', {
        name: memberName(error.instancePath, String(params.additionalProperty)),
        action,
      });
    case 'type': {
      const words = TYPE_WORDS[String(params.type)] ?? { en: String(params.type), zh: String(params.type) };
      return new ApiError('wrongType', { name: memberName(error.instancePath), expected: words.en, expectedZh: words.zh });
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const comparison = String(params.comparison);
      return outOfRange(error.instancePath, `must be ${comparison} ${limit}`, `必须${COMPARISONS[comparison] ?? comparison} ${limit}`);
    }
    case 'maxLength':
      return outOfRange(error.instancePath, `must be at most ${limit} characters long`, `长度不能超过 ${limit} 个字符`);
    case 'minLength':
      return outOfRange(error.instancePath, `must be at least ${limit} characters long`, `长度不能少于 ${limit} 个字符`);
    case 'maxItems':
      return outOfRange(error.instancePath, `must have at most ${limit} items`, `最多包含 ${limit} 项`);
    case 'minItems':
      return outOfRange(error.instancePath, `must have at least ${limit} items`, `至少包含 ${limit} 项`);
    case 'enum': {
      const values = (params.allowedValues as unknown[]).map(String).join(', ');
      return outOfRange(error.instancePath, `must be one of ${values}`, `必须是以下之一：${values}`);
    }
    case 'pattern':
      return outOfRange(error.instancePath, `must match ${String(params.pattern)}`, `必须匹配 ${String(params.pattern)}`);
    default:
      return outOfRange(error.instancePath, 'is invalid', '无效');
  }
}
