/**
 * What an attacker does with a captured, validly signed response: edit it, or
 * wrap a forged assertion around or beside the signed one (XML Signature
 * Wrapping). The verifier must refuse all of these.
 */
import { decodeResponse, encodeResponse, esc, samlId } from './saml-responses.js';

/** Changes the NameID text after signing: what an attacker editing a captured response does. */
export function tamperNameId(encoded: string, nameId: string): string {
  const xml = decodeResponse(encoded);
  const changed = xml.replace(/(<(?:[\w-]+:)?NameID\b[^>]*>)[^<]*/, `$1${esc(nameId)}`);
  if (changed === xml) throw new Error('no NameID to tamper with');
  return encodeResponse(changed);
}

/** Ways of hiding a forged assertion next to a genuinely signed one (XML Signature Wrapping, Somorovsky et al. 2012). */
export type WrapVariant =
  /** A forged, unsigned Assertion inserted before the signed one. */
  | 'forged-sibling'
  /** The same, but the forgery reuses the signed Assertion's ID so an ID lookup may find it first. */
  | 'forged-sibling-same-id'
  /** A new Response root with a forged Assertion; the original signed Response hidden in its Extensions and its Signature copied to the root. */
  | 'response-in-extensions'
  /** The signed Assertion hidden inside the forged Assertion's Advice; the forgery takes its ID and signature. */
  | 'assertion-in-advice'
  /** Only the forgery (new ID) remains, carrying the genuine assertion's Signature, whose Reference names the vanished ID. */
  | 'signature-moved-to-forgery';

/** Builds an XSW attempt from a validly signed response; the forgery names `nameId`. */
export function wrapResponse(encoded: string, variant: WrapVariant, nameId: string): string {
  const xml = decodeResponse(encoded).replace(/^<\?xml[^>]*\?>/, '').trim();
  const assertionMatch = /<((?:[\w-]+:)?)Assertion\b[\s\S]*<\/\1Assertion>/.exec(xml);
  if (!assertionMatch) throw new Error('no Assertion to wrap');
  const signedAssertion = assertionMatch[0];
  const signatureOf = (element: string) => /<ds:Signature\b[\s\S]*?<\/ds:Signature>/.exec(element)?.[0] ?? '';
  const unsigned = (element: string) => element.replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/, '');
  const forge = (element: string, keepId: boolean) => {
    let out = unsigned(element).replace(/(<(?:[\w-]+:)?NameID\b[^>]*>)[^<]*/, `$1${esc(nameId)}`);
    if (!keepId) out = out.replace(/ID="[^"]*"/, `ID="${samlId()}"`);
    return out;
  };
  switch (variant) {
    case 'forged-sibling':
      return encodeResponse(xml.replace(signedAssertion, forge(signedAssertion, false) + signedAssertion));
    case 'forged-sibling-same-id':
      return encodeResponse(xml.replace(signedAssertion, forge(signedAssertion, true) + signedAssertion));
    case 'signature-moved-to-forgery': {
      const forged = forge(signedAssertion, false).replace(/(<\/(?:[\w-]+:)?Issuer>)/, `$1${signatureOf(signedAssertion)}`);
      return encodeResponse(xml.replace(signedAssertion, forged));
    }
    case 'assertion-in-advice': {
      const prefix = assertionMatch[1]!;
      const forged = forge(signedAssertion, true).replace(
        new RegExp(`(</${prefix}Issuer>)`),
        `$1${signatureOf(signedAssertion)}<${prefix}Advice>${signedAssertion}</${prefix}Advice>`,
      );
      return encodeResponse(xml.replace(signedAssertion, forged));
    }
    case 'response-in-extensions': {
      const rootOpen = /^<((?:[\w-]+:)?)Response\b[^>]*>/.exec(xml);
      if (!rootOpen) throw new Error('no Response to wrap');
      const p = rootOpen[1]!;
      const responseSignature = /^<(?:[\w-]+:)?Response\b[^>]*>[\s\S]*?(<ds:Signature\b[\s\S]*?<\/ds:Signature>)/.exec(xml)?.[1] ?? '';
      const issuer = /<(?:[\w-]+:)?Issuer\b[\s\S]*?<\/(?:[\w-]+:)?Issuer>/.exec(xml)![0];
      const status = /<(?:[\w-]+:)?Status\b[\s\S]*?<\/(?:[\w-]+:)?Status>/.exec(xml)![0];
      const newRoot = rootOpen[0].replace(/ID="[^"]*"/, `ID="${samlId()}"`);
      const hidden = xml.replace(signedAssertion, unsigned(signedAssertion));
      return encodeResponse(
        `${newRoot}${issuer}${responseSignature}<${p}Extensions>${hidden}</${p}Extensions>${status}${forge(signedAssertion, false)}</${p}Response>`,
      );
    }
  }
}
