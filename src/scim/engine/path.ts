/**
 * PATCH path parsing (RFC 7644 section 3.5.2): `attr`, `attr.sub`, `attr[filter]`,
 * `attr[filter].sub`, each with an optional schema-URN prefix, or a bare extension URN.
 * All failures are 400 invalidPath.
 */
import { findSubAttribute, resolveAttribute, resolveExtensionId, type ResolvedAttribute } from './attributes.js';
import { badRequest, isScimError } from './errors.js';
import { compileValueFilter, parseFilter, type FilterNode, type Predicate } from './filter.js';
import type { AttributeDefinition, ResourceSchema } from './types.js';

export interface ExtensionPath {
  readonly kind: 'extension';
  readonly text: string;
  readonly schemaId: string;
}

export interface AttributePath extends ResolvedAttribute {
  readonly kind: 'attribute';
  readonly text: string;
  /** The `[...]` value filter, parsed and compiled against the attribute's sub-attributes. */
  readonly filter: { readonly node: FilterNode; readonly matches: Predicate } | undefined;
}

export type PatchPath = ExtensionPath | AttributePath;

/** Index of the `]` closing the `[` at `open`, skipping over quoted strings; -1 if none. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return -1;
}

export function parsePatchPath(input: unknown, schema: ResourceSchema): PatchPath {
  if (typeof input !== 'string') throw badRequest('invalidPath', '"path" must be a string');
  const text = input.trim();
  if (text === '') throw badRequest('invalidPath', '"path" must not be empty');
  const extensionId = resolveExtensionId(schema, text);
  if (extensionId !== undefined) return { kind: 'extension', text, schemaId: extensionId };

  const open = text.indexOf('[');
  if (open < 0) {
    return { kind: 'attribute', text, ...resolveAttribute(schema, text, 'invalidPath'), filter: undefined };
  }
  const close = closingBracket(text, open);
  if (close < 0) throw badRequest('invalidPath', `path "${text}" has an unterminated "["`);
  const resolved = resolveAttribute(schema, text.slice(0, open), 'invalidPath');
  const def = resolved.attribute;
  if (resolved.subAttribute) {
    throw badRequest('invalidPath', `path "${text}": a value filter must follow a multi-valued attribute, not a sub-attribute`);
  }
  if (def.type !== 'complex' || !def.multiValued) {
    throw badRequest('invalidPath', `path "${text}": "${def.name}" is not a multi-valued complex attribute`);
  }
  const rest = text.slice(close + 1);
  const subMatch = /^\.([$\w-]+)$/.exec(rest);
  if (rest !== '' && !subMatch) throw badRequest('invalidPath', `path "${text}" has unexpected text "${rest}" after "]"`);
  let subAttribute: AttributeDefinition | undefined;
  if (subMatch?.[1] !== undefined) {
    subAttribute = findSubAttribute(def, subMatch[1]);
    if (!subAttribute) throw badRequest('invalidPath', `"${def.name}" has no sub-attribute "${subMatch[1]}"`);
  }
  let node: FilterNode;
  try {
    node = parseFilter(text.slice(open + 1, close));
  } catch (e) {
    if (isScimError(e)) throw badRequest('invalidPath', `invalid value filter in path "${text}": ${e.detail}`);
    throw e;
  }
  const matches = compileValueFilter(node, def, 'invalidPath');
  return { kind: 'attribute', text, ...resolved, subAttribute, filter: { node, matches } };
}
