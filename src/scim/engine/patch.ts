/**
 * PATCH (RFC 7644 section 3.5.2) over plain SCIM resources. Pure: the input is never mutated,
 * and the operations apply all-or-nothing (any ScimError leaves nothing applied).
 */
import { findSubAttribute, resolveExtensionId, type ResolvedAttribute } from './attributes.js';
import { badRequest } from './errors.js';
import type { FilterNode } from './filter.js';
import { parsePatchPath, type AttributePath, type PatchPath } from './path.js';
import { deepEqual, deleteCI, findKey, getCI, isJsonObject, isUnassigned, setCI } from './types.js';
import type { AttributeDefinition, JsonObject, JsonValue, ResourceSchema } from './types.js';
import { normalizePrimitive, normalizeSingle, normalizeValue } from './values.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'replace' | 'remove';
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path: string | undefined;
  readonly value: JsonValue | undefined;
}
export interface PatchResult {
  readonly resource: JsonObject;
  /** False when the operations left the resource deep-equal to the input. */
  readonly changed: boolean;
}

/** Validates a PatchOp body; structural problems are 400 invalidSyntax. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'the PATCH body must be a JSON object');
  const schemas = getCI(body, 'schemas');
  const wanted = PATCH_OP_SCHEMA.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === wanted)) {
    throw badRequest('invalidSyntax', `"schemas" must contain "${PATCH_OP_SCHEMA}"`);
  }
  const ops = getCI(body, 'Operations');
  if (!Array.isArray(ops) || ops.length === 0) throw badRequest('invalidSyntax', '"Operations" must be a non-empty array');
  return ops.map((raw, i) => {
    if (!isJsonObject(raw)) throw badRequest('invalidSyntax', `Operations[${i}] must be an object`);
    const op = getCI(raw, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name !== 'add' && name !== 'replace' && name !== 'remove') {
      throw badRequest('invalidSyntax', `Operations[${i}].op must be "add", "replace" or "remove", got ${JSON.stringify(op ?? null)}`);
    }
    const path = getCI(raw, 'path');
    if (path !== undefined && typeof path !== 'string') throw badRequest('invalidPath', `Operations[${i}].path must be a string`);
    const value = getCI(raw, 'value');
    if (name !== 'remove' && value === undefined) throw badRequest('invalidValue', `Operations[${i}] (${name}) needs a "value"`);
    return { op: name, path, value };
  });
}

const mutability = (detail: string) => badRequest('mutability', detail);

function container(res: JsonObject, r: ResolvedAttribute, create: boolean): JsonObject | undefined {
  if (!r.extension) return res;
  const ext = getCI(res, r.schemaId);
  if (isJsonObject(ext)) return ext;
  if (!create) return undefined;
  const fresh: JsonObject = {};
  setCI(res, r.schemaId, fresh);
  return fresh;
}

/** Writes or (for unassigned values) deletes `obj[name]`. */
function put(obj: JsonObject, name: string, value: JsonValue): void {
  if (isUnassigned(value)) deleteCI(obj, name);
  else setCI(obj, name, value);
}

function checkImmutable(def: AttributeDefinition, label: string, current: JsonValue | undefined, next: JsonValue): void {
  if (def.mutability === 'immutable' && !isUnassigned(current) && !deepEqual(current, next)) {
    throw mutability(`"${label}" is immutable and already has a value`);
  }
}

/** Group members (and anything whose `value` is an immutable reference) dedupe by `value`. */
function sameElement(def: AttributeDefinition, a: JsonValue, b: JsonValue): boolean {
  const valueSub = findSubAttribute(def, 'value');
  if (valueSub?.mutability === 'immutable' && isJsonObject(a) && isJsonObject(b)) {
    const va = getCI(a, 'value');
    const vb = getCI(b, 'value');
    if (typeof va === 'string' && typeof vb === 'string') {
      return valueSub.caseExact ? va === vb : va.toLowerCase() === vb.toLowerCase();
    }
  }
  return deepEqual(a, b);
}

/** A removal item names an element by its `value` sub-attribute when it has one, else by equality. */
function removalMatches(def: AttributeDefinition, element: JsonValue, item: JsonValue): boolean {
  const valueSub = findSubAttribute(def, 'value');
  const wanted = isJsonObject(item) ? getCI(item, 'value') : undefined;
  if (!valueSub || !isJsonObject(element) || typeof wanted !== 'string') return deepEqual(element, item);
  const actual = getCI(element, 'value');
  if (typeof actual !== 'string') return false;
  return valueSub.caseExact ? actual === wanted : actual.toLowerCase() === wanted.toLowerCase();
}

/** RFC 7643 2.4: at most one `primary: true`; the most recently written one wins. */
function enforcePrimary(list: JsonValue[], winners: readonly JsonValue[]): void {
  const primaries = list.filter((e) => isJsonObject(e) && getCI(e, 'primary') === true);
  if (primaries.length < 2) return;
  const keep = [...winners].reverse().find((w) => primaries.includes(w)) ?? primaries[primaries.length - 1];
  for (const e of primaries) if (e !== keep && isJsonObject(e)) setCI(e, 'primary', false);
}

/** `attr[type eq "work" and primary eq true]` -> {type: "work", primary: true}; undefined if not eq-only. */
function seedFromFilter(node: FilterNode, def: AttributeDefinition, out: JsonObject = {}): JsonObject | undefined {
  if (node.kind === 'and') {
    return seedFromFilter(node.left, def, out) && seedFromFilter(node.right, def, out);
  }
  if (node.kind !== 'compare' || node.op !== 'eq' || node.value === null) return undefined;
  const sub = findSubAttribute(def, node.attrPath);
  if (!sub) return undefined;
  out[sub.name] = normalizePrimitive(sub, node.value, `${def.name}.${sub.name}`);
  return out;
}

class Patcher {
  constructor(readonly res: JsonObject, readonly schema: ResourceSchema) {}

  apply(op: PatchOperation): void {
    if (op.path !== undefined) {
      const path = parsePatchPath(op.path, this.schema);
      if (op.op === 'remove') this.remove(path, op.value);
      else if (path.kind === 'extension') this.setExtension(op.op, path.schemaId, op.value ?? null);
      else this.set(op.op, path, op.value ?? null);
      return;
    }
    if (op.op === 'remove') throw badRequest('noTarget', '"remove" requires a "path"');
    const values = op.value ?? null;
    if (!isJsonObject(values)) {
      throw badRequest('invalidValue', 'without a "path", "value" must be an object of attributes');
    }
    for (const [key, value] of Object.entries(values)) {
      if (key.toLowerCase() === 'schemas') continue; // server-managed, see syncSchemas
      const extensionId = resolveExtensionId(this.schema, key);
      if (extensionId !== undefined) this.setExtension(op.op, extensionId, value);
      else this.setPathless(op.op, key, value);
    }
  }

  private setExtension(op: PatchOpName, schemaId: string, value: JsonValue): void {
    if (!isJsonObject(value)) throw badRequest('invalidValue', `"${schemaId}" must be set to an object`);
    for (const [key, v] of Object.entries(value)) this.setPathless(op, `${schemaId}:${key}`, v);
  }

  /** A key of a path-less value. Read-only attributes echoed unchanged (Okta sends `id`) are skipped. */
  private setPathless(op: PatchOpName, key: string, value: JsonValue): void {
    if (key.includes('[')) throw badRequest('invalidPath', `attribute name "${key}" cannot contain a filter`);
    const path = parsePatchPath(key, this.schema);
    if (path.kind === 'extension') return this.setExtension(op, path.schemaId, value);
    const def = path.subAttribute ?? path.attribute;
    if (path.attribute.mutability === 'readOnly' || def.mutability === 'readOnly') {
      const current = getCI(container(this.res, path, false) ?? {}, path.attribute.name);
      const leaf = path.subAttribute && isJsonObject(current) ? getCI(current, path.subAttribute.name) : current;
      if (deepEqual(leaf, value)) return;
    }
    this.set(op, path, value);
  }

  private set(op: PatchOpName, path: AttributePath, value: JsonValue): void {
    const { attribute: def, subAttribute: sub } = path;
    const label = path.text;
    if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') throw mutability(`"${label}" is readOnly`);
    const cont = container(this.res, path, true) as JsonObject;
    const current = getCI(cont, def.name);

    if (!path.filter && !sub) {
      const next = normalizeValue(def, value, label);
      if (Array.isArray(next)) {
        const list = op === 'add' && Array.isArray(current) ? [...current] : [];
        for (const item of next) if (!list.some((e) => sameElement(def, e, item))) list.push(item);
        enforcePrimary(list, next);
        checkImmutable(def, label, current, list);
        return put(cont, def.name, list);
      }
      const merged = def.type === 'complex' && isJsonObject(current) && isJsonObject(next) ? { ...current, ...next } : next;
      checkImmutable(def, label, current, merged);
      return put(cont, def.name, merged);
    }

    if (!def.multiValued) {
      // `name.givenName`, `manager.value`: a sub-attribute of a single-valued complex attribute.
      const obj = isJsonObject(current) ? { ...current } : {};
      this.writeSub(obj, def, sub as AttributeDefinition, value);
      return put(cont, def.name, obj);
    }

    const list = Array.isArray(current) ? current.map((e) => (isJsonObject(e) ? { ...e } : e)) : [];
    const targets = list.filter((e): e is JsonObject => isJsonObject(e) && (path.filter?.matches(e) ?? true));
    if (targets.length === 0) {
      // RFC 7644 3.5.2.3: replace with no match is noTarget. An add creates the element the
      // filter describes (Entra adds `emails[type eq "work"].value` this way).
      const seed = op === 'add' ? (path.filter ? seedFromFilter(path.filter.node, def) : {}) : undefined;
      if (!seed) throw badRequest('noTarget', `path "${label}" matched no values`);
      list.push(seed);
      targets.push(seed);
    }
    for (const element of targets) {
      if (sub) {
        this.writeSub(element, def, sub, value);
      } else {
        const next = normalizeSingle(def, value, label);
        if (!isJsonObject(next)) throw badRequest('invalidValue', `"${label}" needs an object value`);
        const replacement = op === 'add' ? { ...element, ...next } : next;
        for (const s of def.subAttributes ?? []) {
          const written = getCI(replacement, s.name);
          if (written !== undefined) checkImmutable(s, `${def.name}.${s.name}`, getCI(element, s.name), written);
        }
        for (const k of Object.keys(element)) delete element[k];
        Object.assign(element, replacement);
      }
    }
    enforcePrimary(list, targets);
    put(cont, def.name, list.filter((e) => !isUnassigned(e)));
  }

  private writeSub(obj: JsonObject, def: AttributeDefinition, sub: AttributeDefinition, value: JsonValue): void {
    const label = `${def.name}.${sub.name}`;
    const next = normalizePrimitive(sub, value, label);
    checkImmutable(sub, label, getCI(obj, sub.name), next);
    put(obj, sub.name, next);
  }

  private remove(path: PatchPath, value: JsonValue | undefined): void {
    if (path.kind === 'extension') return deleteCI(this.res, path.schemaId);
    const { attribute: def, subAttribute: sub } = path;
    if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') throw mutability(`"${path.text}" is readOnly`);
    const cont = container(this.res, path, false);
    const current = cont && getCI(cont, def.name);
    if (!cont || current === undefined) return;

    if (!def.multiValued) {
      if (!sub) return deleteCI(cont, def.name);
      if (isJsonObject(current)) {
        const obj = { ...current };
        deleteCI(obj, sub.name);
        put(cont, def.name, obj);
      }
      return;
    }
    let list = Array.isArray(current) ? [...current] : [current];
    if (!path.filter && !sub && value !== undefined && value !== null) {
      // Entra: {"op":"Remove","path":"members","value":[{"value":"u-1"}]} removes just those.
      const doomed = normalizeValue(def, value, path.text);
      list = list.filter((e) => !(Array.isArray(doomed) ? doomed : [doomed]).some((d) => removalMatches(def, e, d)));
    } else if (!path.filter && !sub) {
      list = [];
    } else {
      const hit = (e: JsonValue): boolean => isJsonObject(e) && (path.filter?.matches(e) ?? true);
      list = sub
        ? list.map((e) => (hit(e) && isJsonObject(e) ? Object.fromEntries(Object.entries(e).filter(([k]) => k.toLowerCase() !== sub.name.toLowerCase())) : e))
        : list.filter((e) => !hit(e)); // RFC 7644 3.5.2.2; no match is a no-op, so retries are idempotent
    }
    put(cont, def.name, list.filter((e) => !isUnassigned(e)));
  }
}

/** Drops empty extension objects and keeps `schemas` in step with the extensions present. */
function syncSchemas(res: JsonObject, schema: ResourceSchema): void {
  const present: string[] = [];
  const absent = new Set<string>();
  for (const { schema: ext } of schema.extensions) {
    const key = findKey(res, ext.id);
    if (key !== undefined && !isUnassigned(res[key])) present.push(ext.id);
    else {
      if (key !== undefined) delete res[key];
      absent.add(ext.id.toLowerCase());
    }
  }
  const current = getCI(res, 'schemas');
  if (!Array.isArray(current) && present.length === 0) return;
  const list = Array.isArray(current) ? current.filter((s) => typeof s !== 'string' || !absent.has(s.toLowerCase())) : [schema.core.id];
  for (const id of present) {
    if (!list.some((s) => typeof s === 'string' && s.toLowerCase() === id.toLowerCase())) list.push(id);
  }
  if (!deepEqual(list, current)) setCI(res, 'schemas', list);
}

/**
 * Removing (or emptying) a required attribute is 400 invalidValue: the attribute is readWrite,
 * so it is not a mutability problem; the result would lack "a required value" (RFC 7644 Table 9).
 */
function checkRequired(before: JsonObject, after: JsonObject, schema: ResourceSchema): void {
  const scopes = [{ id: undefined as string | undefined, attrs: schema.core.attributes }, ...schema.extensions.map((e) => ({ id: e.schema.id, attrs: e.schema.attributes }))];
  for (const { id, attrs } of scopes) {
    const b = id === undefined ? before : getCI(before, id);
    const a = id === undefined ? after : getCI(after, id);
    for (const def of attrs) {
      if (!def.required || !isJsonObject(b) || isUnassigned(getCI(b, def.name))) continue;
      if (!isJsonObject(a) || isUnassigned(getCI(a, def.name))) {
        throw badRequest('invalidValue', `"${def.name}" is required and cannot be removed or emptied`);
      }
    }
  }
}

export function applyPatch(resource: JsonObject, body: unknown, schema: ResourceSchema): PatchResult {
  const operations = parsePatchRequest(body);
  const work = structuredClone(resource);
  const patcher = new Patcher(work, schema);
  for (const op of operations) patcher.apply(op);
  syncSchemas(work, schema);
  checkRequired(resource, work, schema);
  return { resource: work, changed: !deepEqual(resource, work) };
}
