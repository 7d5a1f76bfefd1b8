/** SCIM error responses per RFC 7644 section 3.12. */

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The scimType values of RFC 7644 Table 9. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  /** RFC 7644 makes the status a JSON string. */
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimErrorType | undefined;
  readonly detail: string;

  constructor(status: number, scimType: ScimErrorType | undefined, detail: string) {
    super(scimType ? `${scimType}: ${detail}` : detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
  }

  toScimErrorBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    return body;
  }
}

/** Shorthand for the 400 errors this engine raises. */
export function badRequest(scimType: ScimErrorType, detail: string): ScimError {
  return new ScimError(400, scimType, detail);
}

export function isScimError(e: unknown): e is ScimError {
  return e instanceof ScimError;
}
