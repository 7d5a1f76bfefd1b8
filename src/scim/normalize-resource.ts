import {
  findAttribute,
  isJsonObject,
  normalizeValue,
  ScimError,
  type JsonObject,
  type ResourceSchema,
} from './engine/index.js';

/**
 * Validates and normalises a whole resource sent by POST or PUT (RFC 7644 3.3, 3.5.1):
 * known attributes are type-checked and coerced (Entra's "True"/"False" booleans,
 * etc.); `id` and `meta` and other read-only attributes are ignored, as the RFC asks;
 * attributes no schema defines are ignored too. Required attributes must be present.
 */
export function normalizeResource(body: JsonObject, schema: ResourceSchema): JsonObject {
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') continue;
    if (lower === 'externalid') {
      if (raw !== null && typeof raw !== 'string') throw new ScimError(400, 'invalidValue', 'externalId must be a string.');
      if (raw) out.externalId = raw;
      continue;
    }
    const extension = schema.extensions.find((e) => e.schema.id.toLowerCase() === lower);
    if (extension) {
      if (raw === null) continue;
      if (!isJsonObject(raw)) throw new ScimError(400, 'invalidValue', `${extension.schema.id} must be an object.`);
      const ext: JsonObject = {};
      for (const [subKey, subRaw] of Object.entries(raw)) {
        const def = findAttribute(extension.schema.attributes, subKey);
        if (!def || def.mutability === 'readOnly') continue;
        const value = normalizeValue(def, subRaw, `${extension.schema.id}:${def.name}`);
        if (value !== null && !(Array.isArray(value) && value.length === 0)) ext[def.name] = value;
      }
      if (Object.keys(ext).length > 0) out[extension.schema.id] = ext;
      continue;
    }
    const def = findAttribute(schema.core.attributes, key);
    if (!def || def.mutability === 'readOnly') continue;
    const value = normalizeValue(def, raw, def.name);
    if (Array.isArray(value) && value.filter((v) => isJsonObject(v) && v.primary === true).length > 1) {
      throw new ScimError(400, 'invalidValue', `Only one of ${def.name} may be primary (RFC 7643 section 2.4).`);
    }
    if (value !== null && !(Array.isArray(value) && value.length === 0)) out[def.name] = value;
  }
  for (const def of schema.core.attributes) {
    if (def.required && (out[def.name] === undefined || out[def.name] === '')) {
      throw new ScimError(400, 'invalidValue', `${def.name} is required.`);
    }
  }
  return out;
}
