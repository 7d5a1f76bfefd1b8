import { ApiError } from '../errors/api-error.js';

export type FlatValue = string | string[];
export type Nested = string | Nested[] | { [key: string]: Nested };

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** No action nests its parameters anywhere near this deep; the cap keeps a hostile name from exhausting the stack. */
export const MAX_PARAMETER_DEPTH = 16;


/**
 * Rebuilds nested parameters from the flattened form v1 and GET requests use:
 * `Filters.0.Name=a&Filters.0.Values.0=b&FilterGroups.1=g` becomes
 * `{Filters: [{Name: 'a', Values: ['b']}], FilterGroups: ['g']}`.
 * Numeric segments make arrays, kept in index order with gaps closed up.
 * Values stay strings; the schema validator coerces them to their types.
 */
export function unflatten(flat: Record<string, FlatValue>): Record<string, Nested> {
  type Node = { kind: 'leaf'; value: Nested } | { kind: 'branch'; children: Map<string, Node> };
  const root: Node = { kind: 'branch', children: new Map() };

  for (const [name, value] of Object.entries(flat)) {
    const segments = name.split('.', MAX_PARAMETER_DEPTH + 1);
    if (segments.length > MAX_PARAMETER_DEPTH) {
      throw new ApiError('nameTooDeep', { name: `${name.slice(0, 64)}…`, max: MAX_PARAMETER_DEPTH });
    }
    if (segments.some((s) => s === '')) throw new ApiError('nameEmptySegment', { name });
    if (segments.some((s) => FORBIDDEN.has(s))) throw new ApiError('nameReservedWord', { name });
    let node: Node = root;
    segments.forEach((segment, i) => {
      if (node.kind === 'leaf') throw new ApiError('nameValueAndMembers', { name, prefix: segments.slice(0, i).join('.') });
      const last = i === segments.length - 1;
      const existing: Node | undefined = node.children.get(segment);
      if (last) {
        if (existing) throw new ApiError('nameValueAndMembers', { name, prefix: name });
        node.children.set(segment, { kind: 'leaf', value: Array.isArray(value) ? [...value] : value });
        return;
      }
      if (existing) {
        node = existing;
      } else {
        const created: Node = { kind: 'branch', children: new Map() };
        node.children.set(segment, created);
        node = created;
      }
    });
  }

  const build = (node: Node, path: string): Nested => {
    if (node.kind === 'leaf') return node.value;
    const keys = [...node.children.keys()];
    const numeric = keys.every((k) => /^\d+$/.test(k));
    const mixed = !numeric && keys.some((k) => /^\d+$/.test(k));
    if (mixed) throw new ApiError('nameIndexesAndMembers', { name: path });
    if (numeric && keys.length > 0) {
      return keys
        .map((k) => [Number(k), k] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, k]) => build(node.children.get(k)!, `${path}.${k}`));
    }
    const out: { [key: string]: Nested } = {};
    for (const k of keys) out[k] = build(node.children.get(k)!, path ? `${path}.${k}` : k);
    return out;
  };
  return build(root, '') as Record<string, Nested>;
}
