// The hook types alone, free of Express, so the published declarations of the control plane need nothing from it.

/**
 * Hooks the emulator's control plane (src/control/) puts on the SCIM surface,
 * like the API pipeline's (src/api/interceptors.ts): the SCIM routes know
 * nothing of faults or the request journal.
 */

/** A SCIM request on arrival, before discovery, authentication and routing. */
export interface ScimCallInfo {
  method: string;
  /** Below /scim/v2, without the query string, e.g. `/Users/u-abc`. */
  path: string;
  /** Uin of the account whose zone the bearer token belongs to (computed on demand; null without a known token). */
  uin(): string | null;
}

/** A SCIM request that has been answered. */
export interface ScimCallRecord {
  method: string;
  /** The full path without the query string, e.g. `/scim/v2/Users` (as in the SCIM key usage log). */
  path: string;
  status: number;
  /** The SCIM key that authenticated the request, and its zone and account; null when none did. */
  credentialId: string | null;
  zoneId: string | null;
  uin: string | null;
  /** The JSON body of a write, as parsed (null otherwise); the journal redacts secrets. */
  body: unknown;
  latencyMs: number;
}

export interface ScimInterceptors {
  /** May wait (injected latency) or throw a ScimError (injected fault), which the router answers with a SCIM error body. */
  beforeHandle(info: ScimCallInfo): Promise<void> | void;
  /** Called once the answer is written; must not throw. */
  afterResponse(record: ScimCallRecord): void;
}
