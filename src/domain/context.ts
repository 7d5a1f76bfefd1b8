import type { IdGenerator } from '../runtime/ids.js';

/** What a domain operation may draw on besides the state: the time and fresh identifiers. */
export interface DomainContext {
  now: Date;
  ids: IdGenerator;
}

export const ENABLED_STATUSES = ['Enabled', 'Disabled'] as const;

export function isEnabledStatus(value: unknown): value is 'Enabled' | 'Disabled' {
  return value === 'Enabled' || value === 'Disabled';
}
