// The narrow view of @xmldom/xmldom 0.8 that src/saml uses. tsconfig.json maps
// the package's types here because its own index.d.ts says
// `/// <reference lib="dom" />`, which would pull the browser's DOM (fetch,
// Response, BodyInit...) into every file of the project and break code typed
// against Node's globals. At run time the real package is imported as usual.

/** Node.nodeType values that src/saml tells apart. */
export type XmlNodeType = number;

export interface XmlNode {
  readonly nodeType: XmlNodeType;
  readonly nodeName: string;
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly parentNode: XmlNode | null;
  readonly childNodes: XmlNodeList;
  readonly textContent: string | null;
  readonly ownerDocument: XmlDocument | null;
}

export interface XmlNodeList {
  readonly length: number;
  item(index: number): XmlNode | null;
}

export interface XmlAttr extends XmlNode {
  readonly name: string;
  readonly value: string;
}

export interface XmlNamedNodeMap {
  readonly length: number;
  item(index: number): XmlAttr | null;
}

export interface XmlElement extends XmlNode {
  readonly tagName: string;
  readonly attributes: XmlNamedNodeMap;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  getAttributeNS(namespace: string | null, localName: string): string | null;
  setAttribute(name: string, value: string): void;
  getElementsByTagNameNS(namespace: string, localName: string): XmlNodeList;
  appendChild(child: XmlNode): XmlNode;
  removeChild(child: XmlNode): XmlNode;
  insertBefore(child: XmlNode, reference: XmlNode | null): XmlNode;
}

export interface XmlDocument extends XmlNode {
  readonly documentElement: XmlElement | null;
  getElementsByTagNameNS(namespace: string, localName: string): XmlNodeList;
  createElementNS(namespace: string, qualifiedName: string): XmlElement;
  createTextNode(data: string): XmlNode;
  importNode(node: XmlNode, deep: boolean): XmlNode;
}

export type XmlErrorLevel = 'warning' | 'error' | 'fatalError';

export interface DOMParserOptions {
  errorHandler?: (level: XmlErrorLevel, message: string) => void;
}

export class DOMParser {
  constructor(options?: DOMParserOptions);
  parseFromString(source: string, mimeType: 'text/xml' | 'application/xml'): XmlDocument;
}

export class XMLSerializer {
  serializeToString(node: XmlNode): string;
}
