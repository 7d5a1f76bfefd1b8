import { TextPieces } from '../http/text-pieces.js';

/**
 * JSON text remembered for frozen objects, so that a response holding many of
 * them (a page of 100 users) is a concatenation, not 100 fresh serialisations.
 *
 * Safe because the object is frozen when its text is taken: it can never come
 * to differ from it. Held in a WeakMap: the text goes when the object does.
 */
const texts = new WeakMap<object, string>();

/** Freezes `value` (shallowly: give it only primitives or frozen members) and remembers its JSON text. */
export function withJsonText<T extends object>(value: T): T {
  Object.freeze(value);
  texts.set(value, JSON.stringify(value));
  return value;
}

/**
 * How deep `stringify` looks for remembered texts: envelope -> Response ->
 * a list -> its items. Below that, JSON.stringify (native, and faster than
 * any walk in JavaScript) does the rest.
 */
const DEFAULT_DEPTH = 3;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * Exactly `JSON.stringify(value)` (no replacer, no indentation), reusing the
 * texts `withJsonText` remembered for objects within `depth` levels.
 */
export function stringify(value: unknown, depth = DEFAULT_DEPTH): string | undefined {
  const out = new TextPieces();
  return writeJson(value, depth, out) ? out.toString() : undefined;
}

/**
 * Adds the JSON text of `value` to `out`, as `stringify` makes it; false, and
 * nothing added, for what has no JSON form (undefined, a function, a symbol,
 * a `toJSON` that returns one of those).
 */
function writeJson(value: unknown, depth: number, out: TextPieces): boolean {
  if (typeof value !== 'object' || value === null) return addJson(value, out);
  const known = texts.get(value);
  if (known !== undefined) {
    out.add(known);
    return true;
  }
  if (depth === 0) return addJson(value, out);
  if (Array.isArray(value)) {
    out.add('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.add(',');
      // As JSON.stringify: what has no JSON form (undefined, a function) is null inside an array.
      if (!writeJson(value[i], depth - 1, out)) out.add('null');
    }
    out.add(']');
    return true;
  }
  if (!isPlainObject(value)) return addJson(value, out);
  out.add('{');
  writeMembers(value, depth, out);
  out.add('}');
  return true;
}

function addJson(value: unknown, out: TextPieces): boolean {
  const text = JSON.stringify(value);
  if (text === undefined) return false;
  out.add(text);
  return true;
}

/** Adds the members of a plain object, comma-separated, without braces; true if there were any. */
function writeMembers(value: Record<string, unknown>, depth: number, out: TextPieces): boolean {
  let first = true;
  for (const key of Object.keys(value)) {
    const mark = out.mark;
    out.add(`${first ? '' : ','}${JSON.stringify(key)}:`);
    // As JSON.stringify: such members are left out.
    if (!writeJson(value[key], depth - 1, out)) out.truncate(mark);
    else first = false;
  }
  return !first;
}

/**
 * Adds what `stringify(value, depth)` writes between the braces of a plain
 * object, for a caller that adds members of its own; true if there were any.
 * Null, with nothing added, where `stringify` would not look through the
 * object (a remembered text, `toJSON`, not a plain object, depth 0).
 */
export function writeMemberText(value: object, depth: number, out: TextPieces): boolean | null {
  if (depth === 0 || texts.has(value) || Array.isArray(value) || !isPlainObject(value)) return null;
  return writeMembers(value, depth, out);
}
