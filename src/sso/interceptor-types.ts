/** A request to the SAML endpoints (/saml/sp/…) that has been answered: what the request journal records. */
export interface SamlCallRecord {
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  zoneId: string | null;
  /** Owner of the zone, when the zone exists. */
  uin: string | null;
  /** `Success`, or the check that refused the attempt (e.g. `signature-invalid`, `replay`, `unknown-user`). */
  outcome: string;
  /** What the attempt carried and found: NameID, assertion ID, issuer, the user signed in, the reason. */
  details: Record<string, unknown>;
  latencyMs: number;
}

/** The hook the control plane puts on the SAML surface (see src/control/control-plane.ts). */
export interface SamlInterceptors {
  /** Called once the answer is written; must not throw. */
  afterResponse(record: SamlCallRecord): void;
}
