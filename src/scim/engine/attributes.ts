/**
 * Attribute-path resolution against a ResourceSchema: case-insensitive names, optional
 * schema-URN prefix (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`),
 * and one level of sub-attribute.
 */
import { badRequest, type ScimErrorType } from './errors.js';
import { getCI, isJsonObject, type AttributeDefinition, type JsonObject, type JsonValue, type ResourceSchema } from './types.js';

export interface ResolvedAttribute {
  /** Id of the schema defining the attribute (the core schema for common attributes). */
  readonly schemaId: string;
  /** True when the attribute lives under `resource[schemaId]` rather than at the top level. */
  readonly extension: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | undefined;
}

/** RFC 7643 ATTRNAME (ALPHA *(ALPHA / DIGIT / "-" / "_")), plus `$ref`. */
const ATTR_NAME = /^(?:\$ref|[A-Za-z][\w-]*)$/;

export function isAttributeName(s: string): boolean {
  return ATTR_NAME.test(s);
}

/** Each definition list by lower-cased name, made on first use: schemas are fixed, and look-ups run per attribute of every resource served. */
const byLowerName = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, AttributeDefinition>>();

export function findAttribute(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (list === undefined) return undefined;
  let names = byLowerName.get(list);
  if (names === undefined) {
    const built = new Map<string, AttributeDefinition>();
    // The first of equal names wins, as a find over the list did.
    for (const a of list) if (!built.has(a.name.toLowerCase())) built.set(a.name.toLowerCase(), a);
    byLowerName.set(list, (names = built));
  }
  return names.get(name.toLowerCase());
}

export function findSubAttribute(def: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return findAttribute(def.subAttributes, name);
}

/** The canonical id of the extension schema that `text` names, if it names one. */
export function resolveExtensionId(schema: ResourceSchema, text: string): string | undefined {
  const lower = text.toLowerCase();
  return schema.extensions.find((e) => e.schema.id.toLowerCase() === lower)?.schema.id;
}

/** Splits a known schema-URN prefix off `text`; `schemaId` is undefined when there is none. */
export function splitSchemaPrefix(schema: ResourceSchema, text: string): { schemaId: string | undefined; rest: string } {
  const lower = text.toLowerCase();
  const ids = [schema.core.id, ...schema.extensions.map((e) => e.schema.id)].sort((a, b) => b.length - a.length);
  for (const id of ids) {
    if (lower.startsWith(`${id.toLowerCase()}:`)) return { schemaId: id, rest: text.slice(id.length + 1) };
  }
  return { schemaId: undefined, rest: text };
}

/**
 * Resolutions by schema, error type and path. Schemas are fixed, and the
 * paths a client filters, sorts and projects by are few (userName,
 * emails.value, externalId), so each is resolved once. Bounded against a
 * client sending endless distinct paths.
 */
const resolvedPaths = new WeakMap<ResourceSchema, Map<string, ResolvedAttribute>>();
const RESOLVED_PATHS_LIMIT = 512;

/**
 * Resolves `[urn:...:]attr[.sub]`. Unprefixed names are looked up in the core schema and the
 * common attributes first, then in the extensions (Entra sends a bare `manager`).
 * Throws a 400 of `errorType` for malformed or unknown paths.
 */
export function resolveAttribute(schema: ResourceSchema, text: string, errorType: ScimErrorType): ResolvedAttribute {
  let known = resolvedPaths.get(schema);
  if (known === undefined) resolvedPaths.set(schema, (known = new Map()));
  const key = `${errorType}\u0000${text}`;
  const found = known.get(key);
  if (found !== undefined) return found;
  const resolved = Object.freeze(resolveUncached(schema, text, errorType));
  if (known.size >= RESOLVED_PATHS_LIMIT) known.delete(known.keys().next().value!);
  known.set(key, resolved);
  return resolved;
}

function resolveUncached(schema: ResourceSchema, text: string, errorType: ScimErrorType): ResolvedAttribute {
  const { schemaId, rest } = splitSchemaPrefix(schema, text.trim());
  if (schemaId === undefined && rest.toLowerCase().startsWith('urn:')) {
    if (resolveExtensionId(schema, rest) !== undefined) {
      throw badRequest(errorType, `"${text}" names a schema, not an attribute`);
    }
    throw badRequest(errorType, `"${text}" uses a schema URN that ${schema.name} resources do not have`);
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every(isAttributeName)) {
    throw badRequest(errorType, `"${text}" is not a valid attribute path`);
  }
  const [name = '', subName] = parts;
  let found: ResolvedAttribute | undefined;
  const coreDef =
    schemaId === undefined || schemaId === schema.core.id
      ? findAttribute(schema.core.attributes, name) ?? findAttribute(schema.common, name)
      : undefined;
  if (coreDef) found = { schemaId: schema.core.id, extension: false, attribute: coreDef, subAttribute: undefined };
  for (const ext of schema.extensions) {
    if (found || (schemaId !== undefined && schemaId !== ext.schema.id)) continue;
    const def = findAttribute(ext.schema.attributes, name);
    if (def) found = { schemaId: ext.schema.id, extension: true, attribute: def, subAttribute: undefined };
  }
  if (!found) throw badRequest(errorType, `unknown attribute "${text}" for ${schema.name} resources`);
  if (subName === undefined) return found;
  const sub = findSubAttribute(found.attribute, subName);
  if (!sub) {
    throw badRequest(errorType, `"${found.attribute.name}" has no sub-attribute "${subName}"`);
  }
  return { ...found, subAttribute: sub };
}

/** The object holding the attribute: the resource itself or its extension object. */
export function containerOf(resource: JsonObject, r: Pick<ResolvedAttribute, 'schemaId' | 'extension'>): JsonObject | undefined {
  if (!r.extension) return resource;
  const ext = getCI(resource, r.schemaId);
  return isJsonObject(ext) ? ext : undefined;
}

/** The raw (unflattened) value of the top-level attribute. */
export function getAttributeValue(resource: JsonObject, r: ResolvedAttribute): JsonValue | undefined {
  const container = containerOf(resource, r);
  return container === undefined ? undefined : getCI(container, r.attribute.name);
}

/**
 * All leaf values the path designates, flattened and without nulls: `emails.value` yields
 * every email address; `name.givenName` at most one value.
 */
export function getLeafValues(resource: JsonObject, r: ResolvedAttribute): JsonValue[] {
  const raw = getAttributeValue(resource, r);
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const sub = r.subAttribute;
  const leaves = sub ? items.flatMap((it) => (isJsonObject(it) ? [getCI(it, sub.name)] : [])) : items;
  return leaves.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is JsonValue => v !== undefined && v !== null);
}
