/** The one error type of SAML response verification, shared by the modules that check a response. */
import { XmlSyntaxError, parseStrictXml } from './xml.js';
import type { XmlDocument } from '@xmldom/xmldom';

/** Which rule a refused response broke: machine-readable, for the journal and the 403 page. */
export type SamlCheck =
  | 'malformed'
  | 'signature-missing'
  | 'signature-invalid'
  | 'status'
  | 'destination'
  | 'issuer'
  | 'audience'
  | 'not-yet-valid'
  | 'expired'
  | 'recipient';

/** A response the emulator refuses, with the check that failed and a message a person can act on. */
export class SamlCheckError extends Error {
  override readonly name = 'SamlCheckError';
  readonly check: SamlCheck;

  constructor(check: SamlCheck, message: string) {
    super(message);
    this.check = check;
  }
}

/** Parses XML, turning a syntax problem into a 'malformed' refusal that says what was being read. */
export function parseOrRefuse(xml: string, what: string): XmlDocument {
  try {
    return parseStrictXml(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new SamlCheckError('malformed', `${what} is ${error.message}`);
    throw error;
  }
}
