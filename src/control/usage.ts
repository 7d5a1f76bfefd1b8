import type { DbView } from '../domain/schema.js';

export interface ScimKeyUsage {
  credentialId: string;
  lastUsedTime: string | null;
  /** Newest first. */
  requests: { time: string; method: string; path: string; status: number }[];
}

/**
 * A SCIM key's last use and its requests in the SCIM request log (the state
 * keeps the last 1000 over all keys), so a rotation can be checked from a
 * script: the old key's requests stop before it is deleted. Null for a key
 * the state does not hold.
 */
export function scimKeyUsage(view: DbView, credentialId: string): ScimKeyUsage | null {
  const key = view.scimCredentials.get(credentialId);
  if (!key) return null;
  const requests: ScimKeyUsage['requests'] = [];
  for (const r of view.scimRequestLog.iterate('Desc')) {
    if (r.credentialId === credentialId) requests.push({ time: r.time, method: r.method, path: r.path, status: r.status });
  }
  return { credentialId, lastUsedTime: key.lastUsedTime, requests };
}
