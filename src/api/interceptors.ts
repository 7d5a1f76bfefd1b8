/**
 * Hooks the emulator's control plane (src/control/) puts on the API pipeline:
 * the pipeline calls them and knows nothing else about faults, rate limits or
 * the request journal.
 */

/** A request that has been parsed and authenticated, just before validation and its handler. */
export interface ApiCallInfo {
  action: string;
  /** Uin of the account the request acts as. */
  uin: string;
  requestId: string;
}

/** A request the API surface has answered. */
export interface ApiCallRecord {
  requestId: string;
  /** Unknown when the request broke off before its action could be read. */
  action: string | null;
  method: string;
  uin: string | null;
  /** The action's parameters as parsed (null before parsing); the journal redacts secrets. */
  params: Record<string, unknown> | null;
  /** `Success` or the error code of the envelope. */
  code: string;
  latencyMs: number;
}

export interface ApiInterceptors {
  /**
   * May wait (injected latency) or throw an ApiError (injected fault, rate
   * limit): the pipeline answers it like any other error, envelope and all.
   */
  beforeHandle(info: ApiCallInfo): Promise<void> | void;
  /** Called once the answer is written; must not throw. */
  afterResponse(record: ApiCallRecord): void;
}
