/**
 * Coercion and validation of values written through PATCH. Lenient where IdPs are known to
 * deviate: Entra's "True"/"False" strings for booleans, a single-element array for a
 * single-valued complex attribute (Entra's manager), a bare id for a complex attribute with a
 * `value` sub-attribute, and numbers for string attributes. Everything else is 400 invalidValue.
 */
import { findSubAttribute } from './attributes.js';
import { badRequest } from './errors.js';
import { isJsonObject, type AttributeDefinition, type JsonObject, type JsonValue } from './types.js';

function invalid(label: string, why: string): never {
  throw badRequest('invalidValue', `invalid value for "${label}": ${why}`);
}

export function normalizePrimitive(def: AttributeDefinition, v: JsonValue, label: string): JsonValue {
  if (v === null) return null;
  if (typeof v === 'object') return invalid(label, `expected a single ${def.type} value`);
  switch (def.type) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return invalid(label, 'expected true or false');
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? v : invalid(label, 'expected an integer');
    case 'decimal':
      return typeof v === 'number' ? v : invalid(label, 'expected a number');
    case 'dateTime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : invalid(label, 'expected an xsd:dateTime string');
    case 'complex':
      return invalid(label, 'expected an object');
    default:
      if (typeof v === 'number') return String(v);
      return typeof v === 'string' ? v : invalid(label, 'expected a string');
  }
}

/**
 * One value of `def` (one element, for multi-valued attributes). Returns null for "unassigned".
 * Read-only sub-attributes inside a complex value are dropped (server-computed, e.g.
 * manager.displayName); unknown sub-attributes are rejected.
 */
export function normalizeSingle(def: AttributeDefinition, v: JsonValue, label: string): JsonValue {
  if (def.type !== 'complex') return normalizePrimitive(def, v, label);
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (!def.multiValued && v.length === 1 && v[0] !== undefined) return normalizeSingle(def, v[0], label);
    return invalid(label, 'expected an object, not an array');
  }
  if (!isJsonObject(v)) {
    const valueSub = findSubAttribute(def, 'value');
    if (!valueSub) return invalid(label, 'expected an object');
    return { value: normalizePrimitive(valueSub, v, `${label}.value`) };
  }
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(v)) {
    const sub = findSubAttribute(def, key);
    if (!sub) return invalid(label, `unknown sub-attribute "${key}"`);
    if (sub.mutability === 'readOnly') continue;
    const value = normalizePrimitive(sub, raw, `${label}.${sub.name}`);
    if (value !== null && value !== '') out[sub.name] = value;
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** A whole attribute value: an array for multi-valued attributes (a lone value is wrapped). */
export function normalizeValue(def: AttributeDefinition, v: JsonValue, label: string): JsonValue {
  if (!def.multiValued) return normalizeSingle(def, v, label);
  if (v === null) return null;
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => normalizeSingle(def, item, label)).filter((item) => item !== null);
}
