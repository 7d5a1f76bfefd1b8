/**
 * buildSpMetadata writes the document an IdP is configured with: parsed back,
 * its entityID and AssertionConsumerService Location are exactly what was given,
 * and libxml2 (through xmlsec1) accepts it as well-formed XML.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildSpMetadata } from '../../src/saml/sp-metadata.js';
import { NS, attribute, childElement, childElements, parseStrictXml, textOf } from '../../src/saml/xml.js';
import { HAVE_XMLSEC1, runTool, withTempDir } from '../helpers/saml-idp.js';

const entityId = 'http://127.0.0.1:9000/saml/sp/z-abc123';
const acsUrl = 'http://127.0.0.1:9000/saml/sp/z-abc123/acs';

describe('buildSpMetadata', () => {
  test('parses back to an SP EntityDescriptor with exactly the given entityID and ACS Location', () => {
    const root = parseStrictXml(buildSpMetadata({ entityId, acsUrl })).documentElement!;
    expect(root.namespaceURI).toBe(NS.md);
    expect(root.localName).toBe('EntityDescriptor');
    expect(attribute(root, 'entityID')).toBe(entityId);
    const sp = childElement(root, NS.md, 'SPSSODescriptor')!;
    expect(attribute(sp, 'protocolSupportEnumeration')).toBe('urn:oasis:names:tc:SAML:2.0:protocol');
    expect(attribute(sp, 'WantAssertionsSigned')).toBe('true');
    expect(attribute(sp, 'AuthnRequestsSigned')).toBe('false');
    expect(childElements(sp, NS.md, 'NameIDFormat').map(textOf)).toEqual([
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    ]);
    const acs = childElements(sp, NS.md, 'AssertionConsumerService');
    expect(acs).toHaveLength(1);
    expect(attribute(acs[0]!, 'Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(attribute(acs[0]!, 'Location')).toBe(acsUrl);
    expect(attribute(acs[0]!, 'index')).toBe('0');
    expect(attribute(acs[0]!, 'isDefault')).toBe('true');
  });

  test('NameIDFormat comes before AssertionConsumerService, as the metadata schema orders SPSSODescriptor', () => {
    const sp = childElement(parseStrictXml(buildSpMetadata({ entityId, acsUrl })).documentElement!, NS.md, 'SPSSODescriptor')!;
    const order: string[] = [];
    for (let i = 0; i < sp.childNodes.length; i += 1) {
      const n = sp.childNodes.item(i);
      if (n?.nodeType === 1) order.push(n.localName ?? '');
    }
    expect(order).toEqual(['NameIDFormat', 'NameIDFormat', 'NameIDFormat', 'AssertionConsumerService']);
  });

  test('wantAssertionsSigned: false is advertised as such', () => {
    expect(buildSpMetadata({ entityId, acsUrl, wantAssertionsSigned: false })).toContain('WantAssertionsSigned="false"');
  });

  test('values with XML metacharacters are escaped and read back unchanged', () => {
    const oddEntity = `urn:x:"quoted"&<angled>'apos'`;
    const oddAcs = 'https://sp.example/acs?a=1&b=<2>&c="3"';
    const root = parseStrictXml(buildSpMetadata({ entityId: oddEntity, acsUrl: oddAcs })).documentElement!;
    expect(attribute(root, 'entityID')).toBe(oddEntity);
    const sp = childElement(root, NS.md, 'SPSSODescriptor')!;
    expect(attribute(childElement(sp, NS.md, 'AssertionConsumerService')!, 'Location')).toBe(oddAcs);
  });

  (HAVE_XMLSEC1 ? test : test.skip)('is well-formed for libxml2 too (xmlsec1 parses it with --id-attr and finds the EntityDescriptor)', () => {
    // xmlsec1 --verify on an unsigned document fails only after libxml2 has parsed it; a parse error reads differently.
    const output = withTempDir((dir) => {
      const file = join(dir, 'sp.xml');
      writeFileSync(file, buildSpMetadata({ entityId, acsUrl: `${acsUrl}?x=1&y=2` }));
      try {
        return runTool('xmlsec1', ['--verify', '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor', file]);
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(output).not.toMatch(/parser error|failed to parse|xmlSecParseFile/i);
    expect(output).toMatch(/failed to find default node with name="Signature"/);
  });
});
