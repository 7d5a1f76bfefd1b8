import type { Quotas } from '../config.js';
import type { IdGenerator } from '../runtime/ids.js';

/** What a domain operation may draw on besides the state: the time, fresh identifiers and the configured limits. */
export interface DomainContext {
  now: Date;
  ids: IdGenerator;
  quotas: Quotas;
}

/** `prefix` + `length` random characters (the real service's ID style) that no record of `taken` has yet. */
export function unusedId(ctx: DomainContext, prefix: string, length: number, taken: { has(key: string): boolean }): string {
  for (;;) {
    const id = ctx.ids.resourceId(prefix, length);
    if (!taken.has(id)) return id;
  }
}

export const ENABLED_STATUSES = ['Enabled', 'Disabled'] as const;

export function isEnabledStatus(value: unknown): value is 'Enabled' | 'Disabled' {
  return value === 'Enabled' || value === 'Disabled';
}
