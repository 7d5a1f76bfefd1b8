/** JSON and attribute-schema types shared by the SCIM engine (RFC 7643 section 7). */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute, in the shape RFC 7643 section 7 / 8.7.1 uses for the /Schemas endpoint. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** A schema (core or extension) as served by GET /Schemas/{id}, minus `meta`. */
export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/**
 * Everything the engine needs to know about one resource type: its core schema, its
 * extensions (whose attributes live under `resource[extension.id]`), and the common
 * attributes of RFC 7643 section 3.1 (id, externalId, meta) that no schema lists.
 */
export interface ResourceSchema {
  readonly name: string;
  readonly endpoint: string;
  readonly core: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
  readonly common: readonly AttributeDefinition[];
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The actual key of `obj` that matches `name` case-insensitively (exact match preferred). */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export function getCI(obj: JsonObject, name: string): JsonValue | undefined {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** Sets `obj[name]`, dropping any differently-cased duplicates of the key. */
export function setCI(obj: JsonObject, name: string, value: JsonValue): void {
  deleteCI(obj, name);
  obj[name] = value;
}

export function deleteCI(obj: JsonObject, name: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) delete obj[k];
}

/** RFC 7643 section 2.5: null, "" (for `pr`), [] and {} all count as unassigned. */
export function isUnassigned(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.every(isUnassigned);
  if (isJsonObject(v)) return Object.values(v).every(isUnassigned);
  return false;
}
