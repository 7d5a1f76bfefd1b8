import type { Store } from '../store/store.js';
import type { IdentityCenterSchema } from './schema.js';

/** The store holding Identity Center's collections, with its loading, persistence and life cycle (app and control plane only). */
export type IdentityCenterStore = Store<IdentityCenterSchema>;

/** What handlers and domain code use of the store: reads and transactions, never loading, replay or persistence. */
export type StateStore = Pick<IdentityCenterStore, 'read' | 'view' | 'transact' | 'transactLazily'>;
