/**
 * Strict XML parsing and the few DOM walks the SAML modules need. One place
 * decides what "malformed" means (any parser complaint, a DOCTYPE) so metadata
 * and responses are refused for the same reasons.
 */
import { DOMParser, type XmlDocument, type XmlElement, type XmlNode } from '@xmldom/xmldom';

/** SAML 2.0 and XML-DSig namespace URIs, named once. */
export const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

/** SAML binding URIs the emulator speaks. */
export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

const ELEMENT_NODE = 1;
const DOCUMENT_TYPE_NODE = 10;

/** Why a text was refused as XML; the callers turn it into their own error type. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

/**
 * Parses `text` or throws XmlSyntaxError. A DOCTYPE is refused outright, before
 * parsing and again on the tree: SAML never needs one and it is how XXE and
 * entity-expansion attacks get in.
 */
export function parseStrictXml(text: string): XmlDocument {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlSyntaxError('a DOCTYPE or ENTITY declaration is not allowed (XXE protection)');
  }
  const problems: string[] = [];
  let doc: XmlDocument;
  try {
    doc = new DOMParser({
      // xmldom 0.8 recovers from most errors; any complaint at all means the text is not well-formed XML.
      errorHandler: (level, message) => {
        problems.push(`${level}: ${String(message).replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0]}`);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new XmlSyntaxError(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (problems.length > 0) throw new XmlSyntaxError(`not well-formed XML: ${problems[0]}`);
  if (!doc.documentElement) throw new XmlSyntaxError('not well-formed XML: no root element');
  for (const node of nodes(doc.childNodes)) {
    if (node.nodeType === DOCUMENT_TYPE_NODE) throw new XmlSyntaxError('a DOCTYPE declaration is not allowed (XXE protection)');
  }
  checkPrefixesDeclared(doc.documentElement);
  return doc;
}

/** xmldom 0.8 lets an undeclared prefix through; Namespaces in XML makes such a document not namespace-well-formed. */
function checkPrefixesDeclared(root: XmlElement): void {
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    const named: XmlNode[] = [element];
    for (let i = 0; i < element.attributes.length; i += 1) named.push(element.attributes.item(i)!);
    for (const node of named) {
      if (node.nodeName.includes(':') && !node.namespaceURI) {
        throw new XmlSyntaxError(`not well-formed XML: the prefix of ${node.nodeName} is not declared`);
      }
    }
    for (const child of nodes(element.childNodes)) if (child.nodeType === ELEMENT_NODE) stack.push(child as XmlElement);
  }
}

function nodes(list: XmlNode['childNodes']): XmlNode[] {
  const out: XmlNode[] = [];
  for (let i = 0; i < list.length; i += 1) {
    const node = list.item(i);
    if (node) out.push(node);
  }
  return out;
}

/** True when `node` is the element {ns}localName: SAML is matched by namespace, never by prefix. */
export function isElement(node: XmlNode | null | undefined, ns: string, localName: string): boolean {
  return !!node && node.nodeType === ELEMENT_NODE && node.namespaceURI === ns && node.localName === localName;
}

function elementsNamed(list: XmlNode[], ns: string, localName: string): XmlElement[] {
  // nodeType 1 is an Element in every DOM; the cast only restates that.
  return list.filter((n) => isElement(n, ns, localName)) as XmlElement[];
}

/** The direct child elements {ns}localName of `parent`, in document order. */
export function childElements(parent: XmlNode, ns: string, localName: string): XmlElement[] {
  return elementsNamed(nodes(parent.childNodes), ns, localName);
}

/** The first direct child {ns}localName, or undefined. */
export function childElement(parent: XmlNode, ns: string, localName: string): XmlElement | undefined {
  return childElements(parent, ns, localName)[0];
}

/** Every descendant {ns}localName of `root` (document order). */
export function descendants(root: XmlDocument | XmlElement, ns: string, localName: string): XmlElement[] {
  return elementsNamed(nodes(root.getElementsByTagNameNS(ns, localName)), ns, localName);
}

/** The trimmed text of an element, or '' when it is absent. */
export function textOf(element: XmlElement | undefined): string {
  return (element?.textContent ?? '').trim();
}

/** An attribute's value, or undefined when it is absent (xmldom answers '' for a missing attribute). */
export function attribute(element: XmlElement, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? '') : undefined;
}

/** Escapes text for an XML attribute value or element content (both quote kinds, and the whitespace that attribute normalisation would eat). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
