/**
 * XML-DSig verification of one enveloped signature in a SAML response, with
 * xml-crypto and the configured certificates only, answering the element as the
 * signature covers it (the canonical bytes xml-crypto verified), not as received.
 */
import { SignedXml } from 'xml-crypto';

import { SamlCheckError, parseOrRefuse } from './saml-check-error.js';
import { NS, attribute, childElement, childElements } from './xml.js';
import type { XmlElement } from '@xmldom/xmldom';

/**
 * Verifies `signature` (a direct child of `parent`) against each certificate
 * and returns `parent` as the signature covers it, re-parsed from xml-crypto's
 * signed reference.
 */
export function signedElement(xml: string, signature: XmlElement, parent: XmlElement, what: string, certificates: string[]): XmlElement {
  const id = attribute(parent, 'ID');
  if (!id) throw new SamlCheckError('malformed', `the ${what} carries a Signature but has no ID`);
  const signedInfo = childElement(signature, NS.ds, 'SignedInfo');
  const references = signedInfo ? childElements(signedInfo, NS.ds, 'Reference') : [];
  if (references.length !== 1) {
    throw new SamlCheckError('signature-invalid', `the ${what} signature must have exactly one Reference (SAML Core 5.4.2); it has ${references.length}`);
  }
  const uri = attribute(references[0]!, 'URI');
  if (uri !== `#${id}`) {
    throw new SamlCheckError('signature-invalid', `the ${what} signature covers ${uri ? `"${uri}"` : 'no URI'}, not the ${what} it sits in (#${id})`);
  }
  if (certificates.length === 0) throw new SamlCheckError('signature-invalid', 'no IdP signing certificate is configured');
  const reasons: string[] = [];
  for (const certificate of certificates) {
    // getCertFromKeyInfo: never trust a certificate the message brings along, only the configured ones.
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      if (verifier.checkSignature(xml)) {
        const [content, ...more] = verifier.getSignedReferences();
        if (content !== undefined && more.length === 0) return parseOrRefuse(content, `the signed ${what}`).documentElement!;
        reasons.push('unexpected signed references');
      } else {
        reasons.push('the signed content was changed after signing (digest mismatch)');
      }
    } catch (error) {
      reasons.push(signatureReason(error));
    }
  }
  const why = [...new Set(reasons)].join('; ');
  throw new SamlCheckError(
    'signature-invalid',
    `the ${what} signature does not verify with ${certificates.length === 1 ? 'the configured certificate' : `any of the ${certificates.length} configured certificates`}: ${why}`,
  );
}

function signatureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/signature value .* is incorrect/.test(message)) return 'the signature value does not match (wrong certificate, or the signed part was changed)';
  return message.split('\n')[0]!;
}
