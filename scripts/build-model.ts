/**
 * Step 1 of the generation (run only where the API reference is present):
 * reads the Organization 2021-03-31 API reference and writes the committed,
 * structure-only model, model/organization-2021-03-31.json (see
 * scripts/api-model.ts). Step 2, `npm run gen:schemas`, builds the schemas and
 * types from that model in any clone.
 *
 * Taken from the reference: action names and status, request/response
 * objects, member names, types, list/required/nullable flags, the error codes
 * of each action, and — where the reference states them in one of a few
 * recognisable forms — enumerated string values and length/range limits.
 * Documentation text and examples are never written to the model: only the
 * values themselves (names, numbers) are kept.
 *
 * Usage: npm run model:build [-- --check]
 *   --check  exit 1 if the committed model differs from what the reference gives.
 * Reference directory: $TCE_REFERENCE_DIR, else ../shared/reference/organization-2021-03-31
 * relative to the project root.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  record,
  text,
  API_VERSION,
  ERROR_CODE,
  IDENTIFIER,
  PROJECT_ROOT,
  SCALARS,
  compare,
  defaultModelFile,
  renderModel,
  type Action,
  type ApiModel,
  type Member,
  type MemberFacts,
  type Scalar,
  type ValueType,
} from './api-model.js';

export const REFERENCE_FILES = ['api.en.json', 'error-codes.json'] as const;

export function defaultReferenceDir(): string {
  const fromEnv = process.env.TCE_REFERENCE_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(PROJECT_ROOT, '../shared/reference/organization-2021-03-31');
}

export function referenceExists(referenceDir: string = defaultReferenceDir()): boolean {
  return REFERENCE_FILES.every((f) => existsSync(path.join(referenceDir, f)));
}

// ---------------------------------------------------------------------------
// Raw reference, checked field by field: a reference update with an unknown
// type fails here instead of producing a wrong model.

/** Reference `type` of a non-container member -> the `member` values it may carry. */
const SCALARS_BY_TYPE: Readonly<Record<string, readonly Scalar[]>> = {
  string: ['string'],
  int: ['int64', 'uint64'],
  bool: ['bool'],
  float: ['float'],
};

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

/** An absent flag counts as false (responses carry no `required`, requests no `output_required`). */
function flag(o: Record<string, unknown>, key: string, where: string): boolean {
  const value = o[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`${where}.${key}: expected a boolean`);
  return value;
}

function parseValueType(member: string, container: string, objectNames: ReadonlySet<string>, where: string): ValueType {
  const scalar = SCALARS.find((s) => s === member);
  if (scalar !== undefined && container === 'list') return { kind: 'scalar', scalar };
  if (scalar === undefined && objectNames.has(member)) return { kind: 'object', name: member };
  throw new Error(`${where}: unsupported ${container} member type "${member}"`);
}

// ---------------------------------------------------------------------------
// Facts stated in the member documentation. Only a few unambiguous forms are
// recognised; anything else yields no fact (the model then says nothing,
// rather than something wrong). Only the values are kept.

/** Words that open a "Word: ..." clause without being a value. */
const NOT_VALUES = new Set(['Note', 'Notes', 'Example', 'Examples', 'Default', 'Format', 'Description', 'Valid', 'Value', 'Values', 'Eg', 'For', 'Currently', 'Range', 'Unit']);
const VALUE_WORD = /^[A-Za-z][A-Za-z0-9_]*$/;

function plain(document: string): string {
  return document
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function cleanValue(raw: string): string {
  return raw
    .replace(/\(.*?\)/g, '')
    .replace(/[`'"]/g, '')
    .trim();
}

/** "Valid values: A (default), B and C." -> [A, B, C]; null unless every item is a plain word. */
function validValuesList(doc: string): string[] | null {
  const m = /valid values?:\s*([^.;]+?)(?:\.\s|\.$|;|$)/i.exec(doc);
  if (!m?.[1]) return null;
  const items = m[1]
    .split(/,\s*|\s+and\s+|\s+or\s+/)
    .map(cleanValue)
    .filter((s) => s !== '');
  return items.length >= 2 && items.every((s) => VALUE_WORD.test(s) && !NOT_VALUES.has(s)) ? items : null;
}

/** "Enabled: enabled. Disabled: disabled." / "Desc: descending order; Asc: ascending order." -> values. */
function definitionList(doc: string): string[] | null {
  const values: string[] = [];
  // "Valid values: A: ...; B: ..." opens the list with a label.
  for (const clause of doc.replace(/valid values?:\s*/gi, '. ').split(/[.;,]\s+/)) {
    const m = /^`?([A-Za-z][A-Za-z0-9_]*)`?\s*:\s+\S/.exec(clause.trim());
    if (m?.[1] && !NOT_VALUES.has(m[1]) && /^[A-Z]/.test(m[1])) values.push(m[1]);
  }
  return values.length >= 2 && new Set(values).size === values.length ? values : null;
}

/** "User status: Enabled, Disabled." -> [Enabled, Disabled] (the whole sentence is the list). */
function colonList(doc: string): string[] | null {
  const m = /:\s*((?:[A-Z][A-Za-z0-9]*)(?:,\s*(?:and\s+)?[A-Z][A-Za-z0-9]*)+)\.?$/.exec(doc);
  if (!m?.[1]) return null;
  const items = m[1].split(/,\s*(?:and\s+)?/).map((s) => s.trim());
  return items.length >= 2 && items.every((s) => VALUE_WORD.test(s) && !NOT_VALUES.has(s)) ? items : null;
}

/** The one value a pattern gives throughout the text, or null if it gives none or several. */
function single<T>(matches: T[], key: (t: T) => string): T | null {
  const distinct = new Map(matches.map((t) => [key(t), t]));
  return distinct.size === 1 ? ([...distinct.values()][0] ?? null) : null;
}

export function documentedFacts(document: string, value: ValueType, list: boolean): MemberFacts {
  if (value.kind !== 'scalar' || list) return {};
  const doc = plain(document);
  const facts: MemberFacts = {};
  if (value.scalar === 'string') {
    const values = validValuesList(doc) ?? definitionList(doc) ?? colonList(doc);
    if (values) facts.enum = values;
    const between = single([...doc.matchAll(/\b(\d+)\s*(?:-|to)\s*(\d+) characters\b/gi)], (m) => `${m[1]}-${m[2]}`);
    const upTo = single([...doc.matchAll(/\bup to (\d+) characters\b/gi)], (m) => m[1] ?? '');
    if (between?.[1] && between[2]) {
      facts.minLength = Number(between[1]);
      facts.maxLength = Number(between[2]);
    } else if (upTo?.[1]) {
      facts.maxLength = Number(upTo[1]);
    }
  } else if (value.scalar === 'int64' || value.scalar === 'uint64') {
    const range = single([...doc.matchAll(/\bvalue range:\s*\[?\s*(-?\d+)\s*(?:-|~|,|to)\s*(-?\d+)\s*\]?/gi)], (m) => `${m[1]}/${m[2]}`);
    if (range?.[1] && range[2] && Number(range[1]) <= Number(range[2])) {
      facts.minimum = Number(range[1]);
      facts.maximum = Number(range[2]);
    }
  }
  return facts;
}

function parseMember(raw: unknown, objectNames: ReadonlySet<string>, where: string): Member {
  const m = record(raw, where);
  const name = text(m, 'name', where);
  if (!IDENTIFIER.test(name)) throw new Error(`${where}: member name "${name}" is not an identifier`);
  const type = text(m, 'type', where);
  const member = text(m, 'member', where);
  let value: ValueType;
  if (type === 'list' || type === 'object') {
    value = parseValueType(member, type, objectNames, where);
  } else {
    const scalar = SCALARS_BY_TYPE[type]?.find((s) => s === member);
    if (scalar === undefined) throw new Error(`${where}: unsupported type "${type}" / member "${member}"`);
    value = { kind: 'scalar', scalar };
  }
  const list = type === 'list';
  const document = typeof m.document === 'string' ? m.document : '';
  return {
    name,
    value,
    list,
    required: flag(m, 'required', where),
    outputRequired: flag(m, 'output_required', where),
    nullable: flag(m, 'value_allowed_null', where),
    ...documentedFacts(document, value, list),
  };
}

function sha256(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** The model the reference in `referenceDir` describes. */
export function buildModel(referenceDir: string = defaultReferenceDir()): ApiModel {
  const api = record(readJson(path.join(referenceDir, 'api.en.json')), 'api.en.json');
  const errors = record(readJson(path.join(referenceDir, 'error-codes.json')), 'error-codes.json');

  const apiVersion = text(record(api.metadata, 'api.en.json metadata'), 'apiVersion', 'metadata');
  if (apiVersion !== API_VERSION) throw new Error(`reference is for API version ${apiVersion}, expected ${API_VERSION}`);

  const rawObjects = record(api.objects, 'api.en.json objects');
  const objectNames = new Set(Object.keys(rawObjects));
  const objects = new Map<string, Member[]>();
  for (const name of [...objectNames].sort(compare)) {
    if (!IDENTIFIER.test(name)) throw new Error(`object name "${name}" is not an identifier`);
    const where = `objects.${name}`;
    const members = record(rawObjects[name], where).members;
    if (!Array.isArray(members)) throw new Error(`${where}.members: expected an array`);
    objects.set(
      name,
      members.map((m: unknown, i) => parseMember(m, objectNames, `${where}.members[${i}]`)),
    );
  }

  const rawActions = record(api.actions, 'api.en.json actions');
  const rawCodes = record(errors.actions, 'error-codes.json actions');
  const actions = Object.keys(rawActions)
    .sort(compare)
    .map((name): Action => {
      const where = `actions.${name}`;
      if (!IDENTIFIER.test(name)) throw new Error(`${where}: not an identifier`);
      const a = record(rawActions[name], where);
      const request = text(a, 'input', where);
      const response = text(a, 'output', where);
      for (const object of [request, response]) {
        if (!objects.has(object)) throw new Error(`${where}: unknown object ${object}`);
      }
      const codes = rawCodes[name] ?? [];
      if (!Array.isArray(codes) || !codes.every((c): c is string => typeof c === 'string' && ERROR_CODE.test(c))) {
        throw new Error(`error-codes.json actions.${name}: expected a list of error codes`);
      }
      return { name, status: text(a, 'status', where), request, response, errorCodes: [...new Set(codes)].sort(compare) };
    });

  const reference: Record<string, string> = {};
  for (const file of REFERENCE_FILES) reference[file] = sha256(path.join(referenceDir, file));
  const sources = errors.source === undefined ? {} : record(errors.source, 'error-codes.json source');
  for (const [repo, revision] of Object.entries(sources)) {
    if (typeof revision === 'string' && /^[0-9a-f]{7,40}$/.test(revision)) reference[`source:${repo}`] = revision;
  }
  return { reference, actions, objects };
}

// ---------------------------------------------------------------------------

function isCliEntry(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(path.resolve(entry)).href;
}

if (isCliEntry()) {
  try {
    const args = process.argv.slice(2);
    const check = args.includes('--check');
    const unexpected = args.filter((a) => a !== '--check');
    if (unexpected.length > 0) throw new Error(`usage: build-model [--check] (unexpected ${unexpected.join(' ')})`);
    const referenceDir = defaultReferenceDir();
    if (!referenceExists(referenceDir)) {
      throw new Error(`the API reference is not at ${referenceDir} (set TCE_REFERENCE_DIR); the committed model stays as it is`);
    }
    const textOut = renderModel(buildModel(referenceDir));
    const file = defaultModelFile();
    if (check) {
      const same = existsSync(file) && readFileSync(file, 'utf8') === textOut;
      console.log(same ? `build-model: ${file} matches ${referenceDir}` : `build-model: ${file} differs from ${referenceDir} (run npm run model:build)`);
      if (!same) process.exitCode = 1;
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, textOut);
      console.log(`build-model: wrote ${file} from ${referenceDir}`);
    }
  } catch (error) {
    console.error(`build-model: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
