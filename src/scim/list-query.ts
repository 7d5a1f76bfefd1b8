import type { Request, Response } from 'express';
import {
  ScimError,
  compileFilter,
  makeSortComparator,
  paginate,
  parseAttributeList,
  parseSortOrder,
  projectAttributes,
  validatePaging,
  type JsonObject,
  type ResourceSchema,
} from './engine/index.js';
import { listResponse } from './discovery.js';

export interface ListQuery {
  filter?: string | undefined;
  startIndex?: unknown;
  count?: unknown;
  attributes?: string | string[] | undefined;
  excludedAttributes?: string | string[] | undefined;
  sortBy?: string | undefined;
  sortOrder?: unknown;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw new ScimError(400, 'invalidValue', `${name} must be given once, as a string.`);
}

function list(value: unknown, name: string): string | string[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new ScimError(400, 'invalidValue', `${name} must be a comma-separated list of attribute names.`);
}

/** GET query parameters or a POST /.search body (RFC 7644 3.4.2, 3.4.3), checked for shape. */
export function readListQuery(source: Record<string, unknown>): ListQuery {
  return {
    filter: text(source.filter, 'filter'),
    startIndex: source.startIndex,
    count: source.count,
    attributes: list(source.attributes, 'attributes'),
    excludedAttributes: list(source.excludedAttributes, 'excludedAttributes'),
    sortBy: text(source.sortBy, 'sortBy'),
    sortOrder: source.sortOrder,
  };
}

/** Whether a query's projection leaves out an attribute (to skip computing it). */
export function excludes(query: ListQuery, attribute: string): boolean {
  const lower = attribute.toLowerCase();
  const excluded = parseAttributeList(query.excludedAttributes).map((a) => a.toLowerCase());
  const requested = parseAttributeList(query.attributes).map((a) => a.toLowerCase());
  return excluded.includes(lower) || (requested.length > 0 && !requested.some((a) => a === lower || a.startsWith(`${lower}.`)));
}

/** filter -> sort -> page -> project, in the order RFC 7644 3.4.2 describes. */
export function runListQuery(resources: JsonObject[], query: ListQuery, schema: ResourceSchema): JsonObject {
  const paging = validatePaging(query.startIndex, query.count);
  const predicate = query.filter === undefined || query.filter.trim() === '' ? undefined : compileFilter(query.filter, schema);
  const matched = predicate ? resources.filter(predicate) : resources;
  const sorted = query.sortBy ? [...matched].sort(makeSortComparator(query.sortBy, schema, parseSortOrder(query.sortOrder))) : matched;
  const page = paginate(sorted, paging).map((r) =>
    projectAttributes(r, { attributes: query.attributes, excludedAttributes: query.excludedAttributes }, schema),
  );
  return listResponse(page, matched.length, paging.startIndex);
}

/** If-Match on PUT/PATCH/DELETE: a stale ETag is 412 (RFC 7644 3.14). */
export function checkIfMatch(req: Request, currentEtag: string): void {
  const header = req.get('if-match');
  if (header === undefined) return;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(currentEtag)) return;
  throw new ScimError(412, undefined, `The resource has changed: its version is ${currentEtag}.`);
}

/** If-None-Match on GET: the client's copy is current. */
export function notModified(req: Request, res: Response, currentEtag: string): boolean {
  const header = req.get('if-none-match');
  if (header === undefined) return false;
  const tags = header.split(',').map((t) => t.trim());
  if (!tags.includes(currentEtag) && !tags.includes('*')) return false;
  res.writeHead(304, { ETag: currentEtag });
  res.end();
  return true;
}

export function singleResourceQuery(req: Request): Pick<ListQuery, 'attributes' | 'excludedAttributes'> {
  const q = readListQuery(req.query as Record<string, unknown>);
  return { attributes: q.attributes, excludedAttributes: q.excludedAttributes };
}
