import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ApiError } from '../errors/api-error.js';

/** Keywords the schema generator adds for people and tools; ajv only needs to know they are not typos. */
const ANNOTATION_KEYWORDS = ['x-tc-action', 'x-tc-version', 'x-tc-status', 'x-tc-response', 'x-generated-by'];

type AjvClass = typeof Ajv;

/**
 * ajv costs about 50 ms to import: it is loaded with the first request that
 * needs validating, not at start-up, and once per process.
 */
let ajvModule: Promise<AjvClass> | undefined;

/**
 * `json`: for JSON bodies, whose types must already be right, as on the real service.
 * `flat`: for query strings and forms, where every value arrives as a string and is coerced to its schema type.
 */
type Kind = 'json' | 'flat';

function newAjv(AjvConstructor: AjvClass, kind: Kind): Ajv {
  const ajv = new AjvConstructor({
    allErrors: false,
    strict: true,
    coerceTypes: kind === 'flat' ? 'array' : false,
    useDefaults: false,
    // The schemas are generated, and test/unit/schemas-generated.test.ts checks each
    // against the meta-schema; checking them again here compiled the meta-schema
    // per instance: ~60 ms on the first request, where the schema itself takes ~2 ms.
    validateSchema: false,
  });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array'] });
  return ajv;
}

/**
 * Validates action parameters against the generated schemas. Each schema is
 * compiled on the first request for its action, in the flavour that request
 * needs (JSON or flattened), and kept: compiling all 126 actions twice at
 * start-up would cost seconds for actions nobody calls.
 */
export class ActionValidator {
  private readonly compiled: Record<Kind, Map<string, ValidateFunction>> = { json: new Map(), flat: new Map() };
  private readonly ajv: Partial<Record<Kind, Ajv>> = {};
  private AjvConstructor: AjvClass | undefined;
  private readonly actions: Set<string>;

  constructor(private readonly schemaDir: string) {
    this.actions = new Set(readdirSync(schemaDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  }

  has(action: string): boolean {
    return this.actions.has(action);
  }

  private compile(action: string, kind: Kind, AjvConstructor: AjvClass): ValidateFunction {
    if (!this.actions.has(action)) throw new Error(`no schema for ${action}`);
    const schema = JSON.parse(readFileSync(join(this.schemaDir, `${action}.json`), 'utf8')) as Record<string, unknown>;
    const ajv = (this.ajv[kind] ??= newAjv(AjvConstructor, kind));
    const check = ajv.compile(schema);
    this.compiled[kind].set(action, check);
    return check;
  }

  /**
   * Validates (and, for string input, coerces in place) the parameters; throws
   * the matching ApiError. Synchronous once ajv is loaded; until then it
   * returns a promise to wait for.
   */
  validate(action: string, params: Record<string, unknown>, fromStrings: boolean): void | Promise<void> {
    const kind: Kind = fromStrings ? 'flat' : 'json';
    const check =
      this.compiled[kind].get(action) ?? (this.AjvConstructor && this.compile(action, kind, this.AjvConstructor));
    if (!check) {
      ajvModule ??= import('ajv').then((module) => module.Ajv);
      return ajvModule.then((AjvConstructor) => {
        this.AjvConstructor = AjvConstructor;
        return this.validate(action, params, fromStrings);
      });
    }
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
