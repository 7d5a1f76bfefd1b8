/**
 * The time and audience rules of a SAML assertion (SAML Core 2.5.1, Profiles
 * 4.1.4.2): Conditions' window and AudienceRestrictions, and the bearer
 * SubjectConfirmationData's Recipient and window, all against a given clock.
 */
import { SamlCheckError } from './saml-check-error.js';
import { NS, attribute, childElement, childElements, textOf } from './xml.js';
import type { XmlElement } from '@xmldom/xmldom';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** now ± skew, and instants read from the XML. */
export class ValidityClock {
  private readonly nowMs: number;
  private readonly skewMs: number;

  constructor(now: Date, skewSeconds: number) {
    this.nowMs = now.getTime();
    this.skewMs = skewSeconds * 1000;
  }

  /** Throws not-yet-valid when `notBefore` is still ahead of now + skew. */
  checkNotBefore(element: XmlElement, what: string): void {
    const notBefore = instant(element, 'NotBefore');
    if (notBefore && this.nowMs + this.skewMs < notBefore.getTime()) {
      throw new SamlCheckError('not-yet-valid', `${what} is valid from ${notBefore.toISOString()}; it is now ${new Date(this.nowMs).toISOString()} (clock skew allowed: ${this.skewMs / 1000} s)`);
    }
  }

  /** Throws expired when now - skew has reached `NotOnOrAfter`; returns that instant. */
  checkNotOnOrAfter(element: XmlElement, what: string): Date | undefined {
    const end = instant(element, 'NotOnOrAfter');
    if (end && this.nowMs - this.skewMs >= end.getTime()) {
      throw new SamlCheckError('expired', `${what} expired at ${end.toISOString()}; it is now ${new Date(this.nowMs).toISOString()} (clock skew allowed: ${this.skewMs / 1000} s)`);
    }
    return end;
  }
}

const XS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function instant(element: XmlElement, name: string): Date | undefined {
  const text = attribute(element, name);
  if (text === undefined) return undefined;
  const ms = XS_DATE_TIME.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(ms)) throw new SamlCheckError('malformed', `${element.localName ?? element.nodeName} ${name}="${text}" is not an xs:dateTime`);
  return new Date(ms);
}

/** The bearer SubjectConfirmation addressed to us, checked for time; profiles require Recipient on it. */
export function bearerConfirmation(subject: XmlElement, destination: string, clock: ValidityClock): { data: XmlElement; notOnOrAfter?: Date } {
  const bearers = childElements(subject, NS.saml, 'SubjectConfirmation')
    .filter((c) => attribute(c, 'Method') === BEARER)
    .map((c) => childElement(c, NS.saml, 'SubjectConfirmationData'))
    .filter((d): d is XmlElement => d !== undefined);
  if (bearers.length === 0) throw new SamlCheckError('recipient', 'the Subject has no bearer SubjectConfirmation with SubjectConfirmationData');
  const ours = bearers.find((d) => attribute(d, 'Recipient') === destination);
  if (!ours) {
    const recipients = bearers.map((d) => attribute(d, 'Recipient') ?? '(none)').join(', ');
    throw new SamlCheckError('recipient', `the bearer SubjectConfirmationData Recipient is ${recipients}, expected ${destination}`);
  }
  clock.checkNotBefore(ours, 'the SubjectConfirmationData');
  const notOnOrAfter = clock.checkNotOnOrAfter(ours, 'the SubjectConfirmationData');
  return notOnOrAfter ? { data: ours, notOnOrAfter } : { data: ours };
}

/** Conditions' validity window and audiences; returns NotOnOrAfter. */
export function checkConditions(conditions: XmlElement, audience: string, clock: ValidityClock): Date | undefined {
  clock.checkNotBefore(conditions, 'the Assertion');
  const end = clock.checkNotOnOrAfter(conditions, 'the Assertion');
  const restrictions = childElements(conditions, NS.saml, 'AudienceRestriction');
  if (restrictions.length === 0) throw new SamlCheckError('audience', `the Assertion has no AudienceRestriction naming ${audience}`);
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.saml, 'Audience').map(textOf);
    if (!audiences.includes(audience)) {
      throw new SamlCheckError('audience', `the Assertion is for ${audiences.join(', ') || 'no audience'}, not ${audience}`);
    }
  }
  return end;
}
