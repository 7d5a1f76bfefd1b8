import type { Request, Response } from 'express';
import type { IdGenerator } from '../runtime/ids.js';
import type { Logger } from '../runtime/logger.js';
import type { ScimCredential, Zone } from '../domain/entities.js';
import type { Quotas } from '../config.js';
import type { StateStore } from '../domain/store.js';
import type { ScimRequestBuffer } from '../domain/scim-request-buffer.js';
import type { DomainContext } from '../domain/context.js';
import type { ScimInterceptors } from './interceptor-types.js';

/** Shared by every SCIM route. */
export interface ScimDeps {
  store: StateStore;
  /** Where answered requests wait for the state's request log (one per store, fed into it). */
  requests: ScimRequestBuffer;
  quotas: Quotas;
  now(): Date;
  ids: IdGenerator;
  logger: Logger;
  /** Control-plane hooks (faults, request journal); see interceptors.ts. */
  interceptors?: ScimInterceptors;
}

/** One authenticated SCIM request: the zone its token selects and the key that authenticated it. */
export interface ScimRequestContext {
  zone: Zone;
  credential: ScimCredential;
  /** e.g. http://127.0.0.1:9000/scim/v2, for meta.location. */
  baseUrl: string;
  domain: DomainContext;
}

export function setScimContext(res: Response, ctx: ScimRequestContext): void {
  res.locals.scim = ctx;
}

export function scimContext(res: Response): ScimRequestContext {
  const ctx = res.locals.scim as ScimRequestContext | undefined;
  if (!ctx) throw new Error('SCIM route reached without authentication');
  return ctx;
}

export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
}
