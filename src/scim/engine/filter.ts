/**
 * SCIM filter evaluation (RFC 7644 section 3.4.2.2) against a ResourceSchema. Compiling resolves
 * every attribute once and raises invalidFilter up front, so an empty collection still rejects a
 * bad filter.
 */
import { findSubAttribute, getLeafValues, getAttributeValue, resolveAttribute } from './attributes.js';
import { badRequest, type ScimErrorType } from './errors.js';
import { parseFilter, type CompareNode, type FilterLiteral, type FilterNode } from './filter-parser.js';
import { getCI, isJsonObject, isUnassigned, type AttributeDefinition, type JsonObject, type JsonValue, type ResourceSchema } from './types.js';

export * from './filter-parser.js';

export type Predicate = (obj: JsonObject) => boolean;

/** An attribute as seen from a filter: what to compare against and how to read it. */
interface Target {
  readonly label: string;
  /** The attribute compared (the sub-attribute when there is one); complex when none is implied. */
  readonly def: AttributeDefinition;
  /** Values for comparisons and `pr`, flattened across multiple values. */
  readonly values: (obj: JsonObject) => JsonValue[];
  /** For a complex attribute named without sub-attribute: its definition and values, for `[...]`. */
  readonly complex?: { readonly def: AttributeDefinition; readonly elements: (obj: JsonObject) => JsonValue[] };
}

interface Scope {
  readonly errorType: ScimErrorType;
  resolve(path: string): Target;
  /** Set for the scope inside `attr[...]`. */
  readonly parent?: AttributeDefinition;
}

const asList = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function resourceScope(schema: ResourceSchema, errorType: ScimErrorType): Scope {
  return {
    errorType,
    resolve(path) {
      const r = resolveAttribute(schema, path, errorType);
      const top = r.attribute;
      // RFC 7644 3.4.2.2 example `emails co "example.com"`: a multi-valued complex attribute
      // compared directly means its "value" sub-attribute.
      const implied = !r.subAttribute && top.type === 'complex' && top.multiValued ? findSubAttribute(top, 'value') : undefined;
      const resolved = implied ? { ...r, subAttribute: implied } : r;
      return {
        label: path,
        def: resolved.subAttribute ?? top,
        values: (obj) => (top.type === 'complex' && !resolved.subAttribute ? asList(getAttributeValue(obj, r)) : getLeafValues(obj, resolved)),
        ...(top.type === 'complex' && !r.subAttribute
          ? { complex: { def: top, elements: (obj: JsonObject) => asList(getAttributeValue(obj, r)) } }
          : {}),
      };
    },
  };
}

function elementScope(parent: AttributeDefinition, errorType: ScimErrorType): Scope {
  return {
    errorType,
    parent,
    resolve(path) {
      const sub = /^[$\w-]+$/.test(path) ? findSubAttribute(parent, path) : undefined;
      if (!sub) throw badRequest(errorType, `"${path}" is not a sub-attribute of "${parent.name}"`);
      return { label: `${parent.name}.${sub.name}`, def: sub, values: (obj) => asList(getCI(obj, sub.name)) };
    },
  };
}

type Comparator = (v: JsonValue) => boolean;

function toInstant(v: JsonValue | FilterLiteral): number {
  return typeof v === 'string' ? Date.parse(v) : NaN;
}

function toBoolean(v: JsonValue | FilterLiteral): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return undefined;
}

function ordered(op: string, c: number): boolean {
  switch (op) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
    case 'lt': return c < 0;
    default: return c <= 0;
  }
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the per-value test for `attr op literal`, rejecting unsupported combinations. */
function comparator(t: Target, node: CompareNode, errorType: ScimErrorType): Comparator {
  const { op, value } = node;
  const fail = (why: string): never => {
    throw badRequest(errorType, `cannot apply "${op}" to ${t.def.type} attribute "${t.label}": ${why}`);
  };
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  switch (t.def.type) {
    case 'complex':
      return fail('name one of its sub-attributes');
    case 'boolean': {
      const b = toBoolean(value);
      if (op !== 'eq' && op !== 'ne') fail('booleans only support eq, ne and pr');
      if (b === undefined) fail('the value must be true or false');
      return (v) => (toBoolean(v) === b) === (op === 'eq');
    }
    case 'integer':
    case 'decimal': {
      if (typeof value !== 'number') fail('the value must be a number');
      if (substring) fail('numbers do not support co, sw or ew');
      return (v) => typeof v === 'number' && ordered(op, cmp(v, value as number));
    }
    case 'dateTime': {
      if (typeof value !== 'string') fail('the value must be a quoted dateTime string');
      if (!substring) {
        const instant = toInstant(value);
        if (Number.isNaN(instant)) fail(`${JSON.stringify(value)} is not a valid dateTime`);
        return (v) => !Number.isNaN(toInstant(v)) && ordered(op, cmp(toInstant(v), instant));
      }
      break;
    }
    default:
      if (typeof value !== 'string') fail('the value must be a quoted string');
  }
  const fold = (s: string): string => (t.def.caseExact ? s : s.toLowerCase());
  const lit = fold(value as string);
  return (v) => {
    if (typeof v !== 'string') return false;
    const s = fold(v);
    if (op === 'co') return s.includes(lit);
    if (op === 'sw') return s.startsWith(lit);
    if (op === 'ew') return s.endsWith(lit);
    return ordered(op, cmp(s, lit));
  };
}

function compileNode(node: FilterNode, scope: Scope): Predicate {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left, scope);
      const r = compileNode(node.right, scope);
      return (o) => l(o) && r(o);
    }
    case 'or': {
      const l = compileNode(node.left, scope);
      const r = compileNode(node.right, scope);
      return (o) => l(o) || r(o);
    }
    case 'not': {
      const inner = compileNode(node.filter, scope);
      return (o) => !inner(o);
    }
    case 'present': {
      const t = scope.resolve(node.attrPath);
      const read = t.complex?.elements ?? t.values;
      return (o) => read(o).some((v) => !isUnassigned(v));
    }
    case 'compare': {
      const t = scope.resolve(node.attrPath);
      if (node.value === null) {
        if (node.op !== 'eq' && node.op !== 'ne') throw badRequest(scope.errorType, `"${node.op}" cannot compare with null`);
        const wantPresent = node.op === 'ne';
        return (o) => t.values(o).some((v) => !isUnassigned(v)) === wantPresent;
      }
      const test = comparator(t, node, scope.errorType);
      // "ne" matches an unassigned attribute too; otherwise any one of multiple values suffices.
      if (node.op === 'ne') return (o) => { const vs = t.values(o); return vs.length === 0 || vs.some(test); };
      return (o) => t.values(o).some(test);
    }
    case 'valuePath': {
      if (scope.parent) throw badRequest(scope.errorType, 'value filters cannot be nested');
      const t = scope.resolve(node.attrPath);
      if (!t.complex) throw badRequest(scope.errorType, `"${node.attrPath}[...]" needs a complex attribute without a sub-attribute`);
      const { def, elements } = t.complex;
      const inner = elementScope(def, scope.errorType);
      const filter = compileNode(node.filter, inner);
      const then = node.then ? compileNode(node.then, inner) : () => true;
      return (o) => elements(o).some((e) => isJsonObject(e) && filter(e) && then(e));
    }
  }
}

/** Compiles a filter (text or parsed) into a predicate over resources of `schema`. */
export function compileFilter(filter: FilterNode | string, schema: ResourceSchema): Predicate {
  const node = typeof filter === 'string' ? parseFilter(filter) : filter;
  return compileNode(node, resourceScope(schema, 'invalidFilter'));
}

/** Compiles the filter inside `attr[...]` into a predicate over that attribute's values. */
export function compileValueFilter(node: FilterNode, parent: AttributeDefinition, errorType: ScimErrorType = 'invalidFilter'): Predicate {
  return compileNode(node, elementScope(parent, errorType));
}

export function matchesFilter(resource: JsonObject, filter: FilterNode | string, schema: ResourceSchema): boolean {
  return compileFilter(filter, schema)(resource);
}
