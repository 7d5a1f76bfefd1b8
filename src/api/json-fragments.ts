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
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const known = texts.get(value);
  if (known !== undefined) return known;
  if (depth === 0) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // As JSON.stringify: what has no JSON form (undefined, a function) is null inside an array.
      out += stringify(value[i], depth - 1) ?? 'null';
    }
    return `${out}]`;
  }
  if (!isPlainObject(value)) return JSON.stringify(value);
  return `{${members(value, depth)}}`;
}

function members(value: Record<string, unknown>, depth: number): string {
  let out = '';
  let first = true;
  for (const key of Object.keys(value)) {
    const text = stringify(value[key], depth - 1);
    if (text === undefined) continue; // as JSON.stringify: such members are left out
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return out;
}

/**
 * What `stringify(value, depth)` writes between the braces of a plain object
 * ('' for none), for a caller that adds members of its own: slicing a brace
 * off a large text would have V8 copy all of it. Undefined where `stringify`
 * would not look through the object (a remembered text, `toJSON`, not a
 * plain object, depth 0).
 */
export function memberText(value: object, depth = DEFAULT_DEPTH): string | undefined {
  if (depth === 0 || texts.has(value) || Array.isArray(value) || !isPlainObject(value)) return undefined;
  return members(value, depth);
}
