import type { Request, Response } from 'express';
import {
  ScimError,
  compileFilter,
  makeSortComparator,
  paginate,
  parseAttributeList,
  parseFilter,
  type FilterNode,
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

/** Where a SCIM list reads its records from: a zone's users or groups, through the store's indexes. */
export interface ListSource<R> {
  /** How many records the zone has. */
  readonly size: number;
  /** Every record, in listing order (creation order). */
  records(): Iterable<R>;
  /**
   * Candidates for `attribute eq value` from an index (a superset of the
   * matches: the filter still decides), or undefined when no index covers it.
   */
  lookup(attribute: string, value: string): R[] | undefined;
  /**
   * Attributes whose `lookup` gives exactly the records an `eq` filter on them
   * matches (the index folds case as the attribute's caseExact says): a filter
   * that is just that term needs no evaluation. The look-up identity
   * providers repeat (`userName eq "…"`) then costs no compiled predicate.
   */
  readonly exactLookups?: ReadonlySet<string>;
  render(record: R): JsonObject;
}

/**
 * The attribute and value of a filter that an index can answer, if any:
 * `attr eq "v"`, or such a term on either side of an `and`.
 */
function indexableTerm(node: FilterNode, schemaId: string): { attribute: string; value: string } | undefined {
  if (node.kind === 'and') return indexableTerm(node.left, schemaId) ?? indexableTerm(node.right, schemaId);
  if (node.kind !== 'compare' || node.op !== 'eq' || typeof node.value !== 'string') return undefined;
  const path = node.attrPath.toLowerCase();
  const prefix = `${schemaId.toLowerCase()}:`;
  return { attribute: path.startsWith(prefix) ? path.slice(prefix.length) : path, value: node.value };
}

/**
 * filter -> sort -> page -> project, in the order RFC 7644 3.4.2 describes,
 * doing only the work the query needs: an unfiltered, unsorted page renders
 * just its own records, and an `eq` filter on an indexed attribute renders
 * just the candidates the index gives.
 */
export function runListQuery<R>(source: ListSource<R>, query: ListQuery, schema: ResourceSchema): JsonObject {
  const paging = validatePaging(query.startIndex, query.count);
  const filterText = query.filter === undefined || query.filter.trim() === '' ? undefined : query.filter;
  const project = (r: JsonObject) => projectAttributes(r, { attributes: query.attributes, excludedAttributes: query.excludedAttributes }, schema);
  if (filterText === undefined && !query.sortBy) {
    const page: JsonObject[] = [];
    let skip = paging.startIndex - 1;
    if (paging.count > 0 && skip < source.size) {
      for (const record of source.records()) {
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        page.push(project(source.render(record)));
        if (page.length === paging.count) break;
      }
    }
    return listResponse(page, source.size, paging.startIndex);
  }
  let candidates: Iterable<R> | undefined;
  let predicate: ((resource: JsonObject) => boolean) | undefined;
  if (filterText !== undefined) {
    const ast = parseFilter(filterText);
    const term = indexableTerm(ast, schema.core.id);
    candidates = (term && source.lookup(term.attribute, term.value)) || undefined;
    const answeredByIndex = candidates !== undefined && ast.kind === 'compare' && source.exactLookups?.has(term!.attribute) === true;
    if (!answeredByIndex) predicate = compileFilter(ast, schema);
  }
  // The whole zone only when no index narrowed it down.
  candidates ??= source.records();
  const matched: JsonObject[] = [];
  for (const record of candidates) {
    const resource = source.render(record);
    if (!predicate || predicate(resource)) matched.push(resource);
  }
  const sorted = query.sortBy ? matched.sort(makeSortComparator(query.sortBy, schema, parseSortOrder(query.sortOrder))) : matched;
  return listResponse(paginate(sorted, paging).map(project), matched.length, paging.startIndex);
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
