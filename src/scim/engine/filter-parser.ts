/**
 * SCIM filter parser (RFC 7644 section 3.4.2.2, Figure 1). Precedence: `not` > `and` > `or`;
 * operator and logical keywords and true/false/null are case-insensitive (ABNF literals are).
 * Accepts the common extension `emails[type eq "work"].value eq "x"` (a value path followed by
 * a sub-attribute comparison on the same element).
 */
import { badRequest } from './errors.js';

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterLiteral = string | number | boolean | null;

export interface CompareNode { readonly kind: 'compare'; readonly attrPath: string; readonly op: CompareOperator; readonly value: FilterLiteral }
export interface PresentNode { readonly kind: 'present'; readonly attrPath: string }
export interface LogicalNode { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
export interface NotNode { readonly kind: 'not'; readonly filter: FilterNode }
/** `attrPath[filter]`, optionally followed by `.sub op value` / `.sub pr` applied to the same element. */
export interface ValuePathNode {
  readonly kind: 'valuePath';
  readonly attrPath: string;
  readonly filter: FilterNode;
  readonly then?: CompareNode | PresentNode;
}
export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

export const MAX_FILTER_LENGTH = 8192;
/** Maximum nesting of parentheses, `not` and value-path brackets. */
export const MAX_FILTER_DEPTH = 16;

const COMPARE_OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const PATH_CHARS = /[A-Za-z$][\w:.$-]*/y;
const WORD = /[A-Za-z]+/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** `[schemaURN ":"] ATTRNAME ["." subAttr]`; the URN part is only checked loosely here. */
const ATTR_PATH = /^(?:[A-Za-z][\w.:-]*:)?(?:\$ref|[A-Za-z][\w-]*)(?:\.(?:\$ref|[A-Za-z][\w-]*))?$/;

/** `/\s/` for one UTF-16 code unit, without a regular expression for the ASCII ones. */
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/.test(String.fromCharCode(code));
}

class Parser {
  private pos = 0;
  private depth = 0;
  private inValuePath = false;

  constructor(private readonly text: string) {}

  parse(): FilterNode {
    const node = this.parseOr();
    this.skipWs();
    if (this.pos < this.text.length) {
      const c = this.text[this.pos];
      this.fail(c === ')' || c === ']' ? `unbalanced "${c}"` : `unexpected "${this.excerpt()}"`);
    }
    return node;
  }

  private fail(message: string): never {
    const shown = this.text.length > 120 ? `${this.text.slice(0, 117)}...` : this.text;
    throw badRequest('invalidFilter', `${message} at position ${this.pos + 1} of filter ${JSON.stringify(shown)}`);
  }

  private excerpt(): string {
    return this.text.slice(this.pos, this.pos + 20);
  }

  private skipWs(): void {
    while (this.pos < this.text.length && isWhitespace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private match(re: RegExp): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  /** Consumes `keyword` if it comes next as a whole word (followed by space or "("). */
  private keyword(keyword: string): boolean {
    this.skipWs();
    const end = this.pos + keyword.length;
    if (this.text.slice(this.pos, end).toLowerCase() !== keyword) return false;
    const next = this.text[end];
    if (next !== undefined && next !== '(' && !/\s/.test(next)) return false;
    this.pos = end;
    return true;
  }

  private enter(): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.fail(`filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
  }

  private expect(c: string, what: string): void {
    this.skipWs();
    if (this.text[this.pos] !== c) {
      this.fail(this.pos >= this.text.length ? `missing "${c}" ${what}` : `expected "${c}" ${what} but found "${this.excerpt()}"`);
    }
    this.pos++;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): FilterNode {
    this.skipWs();
    if (this.text[this.pos] === '(') {
      this.enter();
      this.pos++;
      const inner = this.parseOr();
      this.expect(')', 'to close "("');
      this.depth--;
      return inner;
    }
    const start = this.pos;
    if (this.keyword('not')) {
      this.skipWs();
      if (this.text[this.pos] !== '(') {
        this.pos = start;
        this.fail('"not" must be followed by a parenthesised filter');
      }
      return { kind: 'not', filter: this.parseUnary() };
    }
    return this.parseAttrExpression();
  }

  private parseAttrExpression(): FilterNode {
    if (this.pos >= this.text.length) this.fail('expected an attribute path but the filter ended');
    const attrPath = this.readPath();
    if (this.text[this.pos] !== '[') return this.parseOperation(attrPath);
    if (this.inValuePath) this.fail('value filters cannot be nested');
    this.enter();
    this.pos++;
    this.inValuePath = true;
    const filter = this.parseOr();
    this.expect(']', `to close "${attrPath}["`);
    this.inValuePath = false;
    this.depth--;
    if (this.text[this.pos] !== '.') return { kind: 'valuePath', attrPath, filter };
    this.pos++;
    const sub = this.readPath();
    if (sub.includes('.') || sub.includes(':')) this.fail(`"${sub}" is not a sub-attribute name`);
    return { kind: 'valuePath', attrPath, filter, then: this.parseOperation(sub) };
  }

  private readPath(): string {
    const path = this.match(PATH_CHARS);
    if (!path) {
      const c = this.text[this.pos];
      this.fail(c === '"' ? 'expected an attribute path but found a string' : `expected an attribute path but found "${this.excerpt()}"`);
    }
    if (!ATTR_PATH.test(path)) {
      this.pos -= path.length;
      this.fail(`"${path}" is not a valid attribute path`);
    }
    return path;
  }

  private parseOperation(attrPath: string): CompareNode | PresentNode {
    this.skipWs();
    const word = this.match(WORD);
    const op = word.toLowerCase();
    if (op === 'pr') return { kind: 'present', attrPath };
    if (!COMPARE_OPERATORS.has(op)) {
      if (word) this.pos -= word.length;
      this.fail(word ? `unknown operator "${word}"` : `expected an operator after "${attrPath}"`);
    }
    this.skipWs();
    return { kind: 'compare', attrPath, op: op as CompareOperator, value: this.readLiteral(op) };
  }

  private readLiteral(op: string): FilterLiteral {
    const c = this.text[this.pos];
    if (c === undefined) this.fail(`expected a value after "${op}" but the filter ended`);
    if (c === '"') return this.readString();
    if (c === "'") this.fail('strings must be enclosed in double quotes');
    const num = this.match(NUMBER);
    if (num) {
      const next = this.text[this.pos];
      if (next !== undefined && !/[\s)\]]/.test(next)) this.fail(`invalid number "${num}${next}"`);
      return Number(num);
    }
    const word = this.match(WORD).toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    this.pos -= word.length;
    return this.fail(`expected a value (a "string", number, true, false or null) but found "${this.excerpt()}"`);
  }

  private readString(): string {
    const start = this.pos;
    let i = start + 1;
    // Plain text (no escape, no control character) is the string itself; anything else is JSON's to read.
    let plain = true;
    while (i < this.text.length) {
      const code = this.text.charCodeAt(i);
      if (code === 0x22) break;
      if (code === 0x5c) {
        plain = false;
        i += 2;
        continue;
      }
      if (code < 0x20) plain = false;
      i += 1;
    }
    if (i >= this.text.length) this.fail('unterminated string');
    this.pos = i + 1;
    if (plain) return this.text.slice(start + 1, i);
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      this.pos = start;
      return this.fail('invalid escape or control character in string');
    }
  }
}

/** Parses a SCIM filter; throws ScimError 400 invalidFilter with a positioned detail. */
export function parseFilter(text: unknown): FilterNode {
  if (typeof text !== 'string') throw badRequest('invalidFilter', 'filter must be a string');
  if (text.length > MAX_FILTER_LENGTH) {
    throw badRequest('invalidFilter', `filter is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  if (text.trim() === '') throw badRequest('invalidFilter', 'filter is empty');
  return new Parser(text).parse();
}
