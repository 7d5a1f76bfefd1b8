/**
 * The committed API model: a compact, structure-only description of the
 * Organization 2021-03-31 API (model/organization-2021-03-31.json).
 *
 *   reference (where present) --scripts/build-model.ts--> model (committed)
 *   model + scripts/schema-overlays.ts --scripts/gen-schemas.ts--> schemas/ + src/generated/
 *
 * The model holds facts only: action names and status, the request/response
 * object of each action, member names, types, list/required/nullable flags,
 * enumerated values and length/range limits where the reference states them
 * in a recognisable form, and the error codes each action may return. No
 * documentation text or examples.
 *
 * This module defines the model's types, reads and checks a model file (so a
 * hand edit that breaks the shape fails loudly), and writes one
 * deterministically (sorted, one action or member per line).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const API_SERVICE = 'organization';
export const API_VERSION = '2021-03-31';
export const MODEL_FORMAT = 1;
/** Relative to the project root, posix separators. */
export const MODEL_FILE = `model/${API_SERVICE}-${API_VERSION}.json`;

export const SCALARS = ['string', 'int64', 'uint64', 'bool', 'float'] as const;
export type Scalar = (typeof SCALARS)[number];

export type ValueType = { kind: 'scalar'; scalar: Scalar } | { kind: 'object'; name: string };

/** Constraints the reference states for a member (only those it states). */
export interface MemberFacts {
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface Member extends MemberFacts {
  name: string;
  value: ValueType;
  list: boolean;
  /** Required in a request. */
  required: boolean;
  /** Always present in a response. */
  outputRequired: boolean;
  /** The real API may answer null. */
  nullable: boolean;
}

export interface Action {
  name: string;
  status: string;
  request: string;
  response: string;
  /** Sorted, unique. */
  errorCodes: string[];
}

export interface ApiModel {
  /** Where the model was built from: file name -> sha256 of the reference file, and the reference's source revisions. */
  reference: Readonly<Record<string, string>>;
  /** Sorted by name. */
  actions: Action[];
  /** Every object (requests, responses and nested objects) by name, sorted by name. */
  objects: Map<string, Member[]>;
}

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.]*$/;
const ENUM_VALUE = /^[A-Za-z0-9_.-]+$/;

/** Code-unit order: independent of the locale the scripts run in. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function findProjectRoot(start: string): string {
  // Walk up rather than use a fixed '..': scripts run both from scripts/ (ts-jest)
  // and from dist/scripts/ (compiled).
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

export function defaultModelFile(): string {
  return path.join(PROJECT_ROOT, MODEL_FILE);
}

// ---------------------------------------------------------------------------
// Reading a model file

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Shared with build-model.ts: the structural checks of a JSON document. */
export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

export function text(o: Record<string, unknown>, key: string, where: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}.${key}: expected a non-empty string`);
  return value;
}

function optionalFlag(o: Record<string, unknown>, key: string, where: string): boolean {
  const value = o[key];
  if (value === undefined) return false;
  if (value !== true) throw new Error(`${where}.${key}: expected true or absent`);
  return true;
}

function optionalCount(o: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = o[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`${where}.${key}: expected an integer`);
  return value;
}

function stringList(value: unknown, pattern: RegExp, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && pattern.test(v))) {
    throw new Error(`${where}: expected a list of ${String(pattern)}`);
  }
  return value;
}

const MEMBER_KEYS = new Set(['name', 'type', 'list', 'required', 'outputRequired', 'nullable', 'enum', 'minLength', 'maxLength', 'minimum', 'maximum']);

function parseMember(raw: unknown, objectNames: ReadonlySet<string>, where: string): Member {
  const m = record(raw, where);
  for (const key of Object.keys(m)) if (!MEMBER_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}"`);
  const name = text(m, 'name', where);
  if (!IDENTIFIER.test(name)) throw new Error(`${where}: member name "${name}" is not an identifier`);
  const type = text(m, 'type', where);
  const scalar = SCALARS.find((s) => s === type);
  let value: ValueType;
  if (scalar !== undefined) value = { kind: 'scalar', scalar };
  else if (objectNames.has(type)) value = { kind: 'object', name: type };
  else throw new Error(`${where}: type "${type}" is neither a scalar nor an object of the model`);
  const member: Member = {
    name,
    value,
    list: optionalFlag(m, 'list', where),
    required: optionalFlag(m, 'required', where),
    outputRequired: optionalFlag(m, 'outputRequired', where),
    nullable: optionalFlag(m, 'nullable', where),
  };
  if (m.enum !== undefined) member.enum = stringList(m.enum, ENUM_VALUE, `${where}.enum`);
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) {
    const n = optionalCount(m, key, where);
    if (n !== undefined) member[key] = n;
  }
  return member;
}

/** Parses and checks a model document (the JSON text of a model file). */
export function parseModel(source: string, where = MODEL_FILE): ApiModel {
  const doc = record(JSON.parse(source) as unknown, where);
  if (doc.format !== MODEL_FORMAT) throw new Error(`${where}: format ${String(doc.format)}, expected ${MODEL_FORMAT}`);
  if (doc.service !== API_SERVICE || doc.version !== API_VERSION) {
    throw new Error(`${where}: describes ${String(doc.service)} ${String(doc.version)}, expected ${API_SERVICE} ${API_VERSION}`);
  }
  const reference: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(doc.reference, `${where} reference`))) {
    if (typeof value !== 'string') throw new Error(`${where} reference.${key}: expected a string`);
    reference[key] = value;
  }

  const rawObjects = record(doc.objects, `${where} objects`);
  const objectNames = new Set(Object.keys(rawObjects));
  const objects = new Map<string, Member[]>();
  for (const name of [...objectNames].sort(compare)) {
    if (!IDENTIFIER.test(name) || SCALARS.some((s) => s === name)) throw new Error(`${where} objects: bad object name "${name}"`);
    const members = rawObjects[name];
    if (!Array.isArray(members)) throw new Error(`${where} objects.${name}: expected a list of members`);
    objects.set(
      name,
      members.map((m: unknown, i) => parseMember(m, objectNames, `${where} objects.${name}[${i}]`)),
    );
  }

  const rawActions = record(doc.actions, `${where} actions`);
  const actions = Object.keys(rawActions)
    .sort(compare)
    .map((name): Action => {
      const at = `${where} actions.${name}`;
      if (!IDENTIFIER.test(name)) throw new Error(`${at}: not an identifier`);
      const a = record(rawActions[name], at);
      const request = text(a, 'request', at);
      const response = text(a, 'response', at);
      for (const object of [request, response]) if (!objects.has(object)) throw new Error(`${at}: unknown object ${object}`);
      const errorCodes = stringList(a.errorCodes, ERROR_CODE, `${at}.errorCodes`);
      return { name, status: text(a, 'status', at), request, response, errorCodes: [...new Set(errorCodes)].sort(compare) };
    });
  return { reference, actions, objects };
}

export function readModel(file: string = defaultModelFile()): ApiModel {
  return parseModel(readFileSync(file, 'utf8'), path.relative(PROJECT_ROOT, file) || file);
}

// ---------------------------------------------------------------------------
// Writing a model file: stable order, one action / member per line, so a
// reference update shows as a readable diff.

function memberJson(m: Member): Json {
  const out: { [key: string]: Json } = { name: m.name, type: m.value.kind === 'object' ? m.value.name : m.value.scalar };
  if (m.list) out.list = true;
  if (m.required) out.required = true;
  if (m.outputRequired) out.outputRequired = true;
  if (m.nullable) out.nullable = true;
  if (m.enum !== undefined) out.enum = [...m.enum];
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) {
    const n = m[key];
    if (n !== undefined) out[key] = n;
  }
  return out;
}

export function renderModel(model: ApiModel): string {
  const line = (value: Json): string => JSON.stringify(value);
  const reference = Object.keys(model.reference)
    .sort(compare)
    .map((k) => `    ${line(k)}: ${line(model.reference[k] ?? '')}`);
  const actions = model.actions.map(
    (a) => `    ${line(a.name)}: ${line({ status: a.status, request: a.request, response: a.response, errorCodes: a.errorCodes })}`,
  );
  const objects = [...model.objects.keys()].sort(compare).map((name) => {
    const members = model.objects.get(name) ?? [];
    if (members.length === 0) return `    ${line(name)}: []`;
    return `    ${line(name)}: [\n${members.map((m) => `      ${line(memberJson(m))}`).join(',\n')}\n    ]`;
  });
  return [
    '{',
    `  "format": ${MODEL_FORMAT},`,
    `  "service": ${line(API_SERVICE)},`,
    `  "version": ${line(API_VERSION)},`,
    '  "generatedBy": "scripts/build-model.ts",',
    `  "reference": {\n${reference.join(',\n')}\n  },`,
    `  "actions": {\n${actions.join(',\n')}\n  },`,
    `  "objects": {\n${objects.join(',\n')}\n  }`,
    '}',
    '',
  ].join('\n');
}
