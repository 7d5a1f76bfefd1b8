/**
 * Response shaping for list/get: attribute projection (RFC 7644 3.4.2.5 and RFC 7643 `returned`),
 * sorting (3.4.2.3) and paging (3.4.2.4).
 */
import { findAttribute, findSubAttribute, getAttributeValue, resolveAttribute, resolveExtensionId, type ResolvedAttribute } from './attributes.js';
import { badRequest, isScimError } from './errors.js';
import { getCI, isJsonObject, type AttributeDefinition, type JsonObject, type JsonValue, type ResourceSchema } from './types.js';

export interface ProjectionOptions {
  /** Comma-separated (or already split) attribute names, as in `?attributes=`. */
  readonly attributes?: string | readonly string[] | undefined;
  readonly excludedAttributes?: string | readonly string[] | undefined;
}

export function parseAttributeList(v: string | readonly string[] | undefined): string[] {
  const parts = v === undefined ? [] : typeof v === 'string' ? [v] : v;
  return parts.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '');
}

/** Per container (core: '', else extension id, lower-cased): attribute -> whole or chosen subs. */
type Selection = Map<string, 'all' | Set<string>>;

function select(schema: ResourceSchema, names: readonly string[]): Selection {
  const sel: Selection = new Map();
  for (const name of names) {
    const ext = resolveExtensionId(schema, name);
    if (ext !== undefined) {
      sel.set(`${ext.toLowerCase()}|*`, 'all');
      continue;
    }
    let r: ResolvedAttribute;
    try {
      r = resolveAttribute(schema, name, 'invalidValue');
    } catch (e) {
      if (isScimError(e)) continue; // unknown names are ignored, as most providers do
      throw e;
    }
    const key = `${r.extension ? r.schemaId.toLowerCase() : ''}|${r.attribute.name.toLowerCase()}`;
    const prev = sel.get(key);
    if (!r.subAttribute) sel.set(key, 'all');
    else if (prev !== 'all') sel.set(key, new Set([...(prev ?? []), r.subAttribute.name.toLowerCase()]));
  }
  return sel;
}

function lookup(sel: Selection | undefined, scope: string, name: string): 'all' | Set<string> | undefined {
  return sel?.get(`${scope}|*`) ?? sel?.get(`${scope}|${name.toLowerCase()}`);
}

function keepSub(sub: AttributeDefinition, want: 'all' | Set<string> | undefined, drop: 'all' | Set<string> | undefined): boolean {
  if (sub.returned === 'never') return false;
  if (sub.returned === 'always') return true;
  const lower = sub.name.toLowerCase();
  if (drop instanceof Set && drop.has(lower)) return false;
  if (want instanceof Set) return want.has(lower);
  return sub.returned !== 'request';
}

function projectValue(def: AttributeDefinition, value: JsonValue, want: 'all' | Set<string> | undefined, drop: 'all' | Set<string> | undefined): JsonValue | undefined {
  if (def.returned === 'never') return undefined;
  if (def.returned === 'always') return value;
  if (drop === 'all' || (want === undefined && def.returned === 'request')) return undefined;
  if (def.type !== 'complex') return value;
  const shape = (v: JsonValue): JsonValue => {
    if (!isJsonObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const sub = findSubAttribute(def, k);
      if (sub ? keepSub(sub, want, drop) : !(want instanceof Set)) out[k] = x;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(shape) : shape(value);
}

function projectContainer(obj: JsonObject, attrs: readonly AttributeDefinition[], scope: string, want: Selection | undefined, drop: Selection): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = findAttribute(attrs, key);
    if (!def) {
      if (want === undefined) out[key] = value;
      continue;
    }
    const w = want === undefined ? undefined : lookup(want, scope, def.name);
    if (want !== undefined && w === undefined && def.returned !== 'always') continue;
    const projected = projectValue(def, value, w ?? (want === undefined ? undefined : 'all'), lookup(drop, scope, def.name));
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/**
 * Applies `attributes` / `excludedAttributes`. `returned: always` attributes (id, meta, and
 * `schemas`) are never dropped; `returned: never` (password) never appear; `returned: request`
 * only when named. Unknown names are ignored.
 */
export function projectAttributes(resource: JsonObject, options: ProjectionOptions, schema: ResourceSchema): JsonObject {
  const wanted = parseAttributeList(options.attributes);
  const excluded = parseAttributeList(options.excludedAttributes);
  if (wanted.length === 0 && excluded.length === 0) return defaultProjection(resource, schema);
  const want = wanted.length > 0 ? select(schema, wanted) : undefined;
  const drop = select(schema, excluded);
  const coreAttributes = planOf(schema).core;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === 'schemas') {
      out[key] = value;
      continue;
    }
    const ext = schema.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase());
    if (ext && isJsonObject(value)) {
      const projected = projectContainer(value, ext.schema.attributes, ext.schema.id.toLowerCase(), want, drop);
      if (Object.keys(projected).length > 0) out[key] = projected;
      continue;
    }
    const single = projectContainer({ [key]: value }, coreAttributes, '', want, drop);
    if (key in single) out[key] = single[key] ?? null;
  }
  return out;
}

/** What the default projection needs of a schema, worked out once per schema. */
interface ProjectionPlan {
  /** Core and common attributes, as one list. */
  core: readonly AttributeDefinition[];
  /** Extensions by lower-cased schema id, with whether their attributes all pass a default projection untouched. */
  extensions: ReadonlyMap<string, { attributes: readonly AttributeDefinition[]; whole: boolean }>;
}

const plans = new WeakMap<ResourceSchema, ProjectionPlan>();

/** Kept as it is by a default projection: returned by default, and so is every sub-attribute. */
function passesWhole(def: AttributeDefinition): boolean {
  let known = wholeness.get(def);
  if (known === undefined) {
    const shown = (d: AttributeDefinition) => d.returned !== 'never' && d.returned !== 'request';
    known = shown(def) && (def.type !== 'complex' || (def.subAttributes ?? []).every(shown));
    wholeness.set(def, known);
  }
  return known;
}

const wholeness = new WeakMap<AttributeDefinition, boolean>();

function planOf(schema: ResourceSchema): ProjectionPlan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    const extensions = new Map(
      schema.extensions.map((e) => [e.schema.id.toLowerCase(), { attributes: e.schema.attributes, whole: e.schema.attributes.every(passesWhole) }] as const),
    );
    plans.set(schema, (plan = { core: [...schema.core.attributes, ...schema.common], extensions }));
  }
  return plan;
}

/**
 * No `attributes` or `excludedAttributes`: what the general projection gives
 * for an empty selection (only `returned: never` and `returned: request`
 * attributes left out, and extensions left empty), without copying the parts
 * that keep everything: the answer to almost every look-up an identity
 * provider makes.
 */
function defaultProjection(resource: JsonObject, schema: ResourceSchema): JsonObject {
  const plan = planOf(schema);
  const out: JsonObject = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key]!;
    const lower = key.toLowerCase();
    if (lower === 'schemas') {
      out[key] = value;
      continue;
    }
    const ext = plan.extensions.get(lower);
    if (ext !== undefined && isJsonObject(value)) {
      const projected = ext.whole ? value : projectContainer(value, ext.attributes, lower, undefined, new Map());
      if (Object.keys(projected).length > 0) out[key] = projected;
      continue;
    }
    const def = findAttribute(plan.core, key);
    if (def === undefined || passesWhole(def)) out[key] = value;
    else {
      const projected = projectValue(def, value, undefined, undefined);
      if (projected !== undefined) out[key] = projected;
    }
  }
  return out;
}

export type SortOrder = 'ascending' | 'descending';

export function parseSortOrder(v: unknown): SortOrder {
  if (v === undefined || v === '') return 'ascending';
  if (typeof v === 'string' && /^(ascending|descending)$/i.test(v)) return v.toLowerCase() as SortOrder;
  throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending", got ${JSON.stringify(v)}`);
}

type SortKey = string | number | undefined;

function sortKeyReader(schema: ResourceSchema, sortBy: string): (r: JsonObject) => SortKey {
  const r = resolveAttribute(schema, sortBy, 'invalidValue');
  const top = r.attribute;
  const sub = r.subAttribute ?? (top.type === 'complex' && top.multiValued ? findSubAttribute(top, 'value') : undefined);
  const leaf = sub ?? top;
  if (leaf.type === 'complex') throw badRequest('invalidValue', `cannot sort by complex attribute "${sortBy}"`);
  return (resource) => {
    let v = getAttributeValue(resource, r);
    if (Array.isArray(v)) {
      // RFC 7644 3.4.2.3: a multi-valued attribute sorts by its primary value, else the first.
      v = v.find((e) => isJsonObject(e) && getCI(e, 'primary') === true) ?? v[0];
    }
    if (sub && isJsonObject(v)) v = getCI(v, sub.name);
    if (typeof v === 'string') {
      if (leaf.type === 'dateTime') return Number.isNaN(Date.parse(v)) ? undefined : Date.parse(v);
      return leaf.caseExact ? v : v.toLowerCase();
    }
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return undefined;
  };
}

/** A comparator for Array.prototype.sort; unassigned values sort last when ascending. */
export function makeSortComparator(sortBy: string, schema: ResourceSchema, sortOrder: SortOrder = 'ascending'): (a: JsonObject, b: JsonObject) => number {
  const key = sortKeyReader(schema, sortBy);
  const sign = sortOrder === 'descending' ? -1 : 1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === undefined || kb === undefined) return sign * ((ka === undefined ? 1 : 0) - (kb === undefined ? 1 : 0));
    return sign * (ka < kb ? -1 : ka > kb ? 1 : 0);
  };
}

export function compareForSort(a: JsonObject, b: JsonObject, sortBy: string, schema: ResourceSchema, sortOrder: SortOrder = 'ascending'): number {
  return makeSortComparator(sortBy, schema, sortOrder)(a, b);
}

export interface Paging {
  /** 1-based. */
  readonly startIndex: number;
  readonly count: number;
}
export interface PagingOptions {
  readonly defaultCount?: number;
  readonly maxCount?: number;
}
export const DEFAULT_PAGE_COUNT = 100;
export const MAX_PAGE_COUNT = 1000;

function parseInteger(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  throw badRequest('invalidValue', `${name} must be an integer, got ${JSON.stringify(v)}`);
}

/** RFC 7644 3.4.2.4: startIndex < 1 means 1, count < 0 means 0; count is capped at maxCount. */
export function validatePaging(startIndex: unknown, count: unknown, options: PagingOptions = {}): Paging {
  const max = options.maxCount ?? MAX_PAGE_COUNT;
  const start = parseInteger('startIndex', startIndex) ?? 1;
  const n = parseInteger('count', count) ?? options.defaultCount ?? DEFAULT_PAGE_COUNT;
  return { startIndex: Math.max(1, start), count: Math.min(max, Math.max(0, n)) };
}

export function paginate<T>(items: readonly T[], paging: Paging): T[] {
  return items.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count);
}
