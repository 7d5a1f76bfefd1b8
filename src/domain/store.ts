import type { Store } from '../store/store.js';
import type { IdentityCenterSchema } from './schema.js';

/** The store holding Identity Center's collections. */
export type IdentityCenterStore = Store<IdentityCenterSchema>;
