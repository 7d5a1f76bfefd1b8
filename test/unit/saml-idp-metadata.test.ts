/**
 * parseIdpMetadata takes entityID, the sign-in URL and the signing certificates
 * from metadata shaped like Okta's, OneLogin's and Entra ID's exports, and
 * refuses what is not XML, what declares a DOCTYPE, and what is not IdP metadata.
 */
import { CertificateParseError, inspectCertificate } from '../../src/saml/certificates.js';
import { MetadataContentError, MetadataDecodeError, MetadataXmlError, decodeMetadataDocument, parseIdpMetadata } from '../../src/saml/idp-metadata.js';
import { TestIdp, makeKeyAndCertificate, type IdpShape } from '../helpers/saml-idp.js';

const idp = TestIdp.create();
const next = makeKeyAndCertificate({ subject: '/CN=next signing key' });
const encryption = makeKeyAndCertificate({ subject: '/CN=encryption key' });
const pemOf = (base64: string) => inspectCertificate(base64).pem;

describe('the three vendor shapes parse', () => {
  test.each<[IdpShape, string]>([
    ['okta', 'md: prefix, POST listed before Redirect'],
    ['onelogin', 'default namespace, wrapped certificate text'],
    ['entra', 'signed EntityDescriptor with WS-Federation RoleDescriptors'],
  ])('%s (%s): entity ID, the HTTP-Redirect login URL, the signing certificate', (shape) => {
    const parsed = parseIdpMetadata(idp.metadata(shape));
    expect(parsed).toEqual({
      entityId: idp.entityId(shape),
      loginUrl: idp.loginUrl(shape),
      loginBinding: 'HTTP-Redirect',
      signingCertificates: [pemOf(idp.certificateBase64)],
    });
  });

  test.each<IdpShape>(['okta', 'onelogin', 'entra'])('%s: two signing keys (a rollover) are both kept, an encryption key is not', (shape) => {
    const xml = idp.metadata(shape, { nextCertificatePem: next.certificatePem, encryptionCertificatePem: encryption.certificatePem });
    expect(parseIdpMetadata(xml).signingCertificates).toEqual([pemOf(idp.certificateBase64), pemOf(next.certificateBase64)]);
  });

  test("Entra's document signature and RoleDescriptor keys are not taken as the IdP's signing keys", () => {
    const other = TestIdp.create({ shape: 'entra' });
    // Swap only the IDPSSODescriptor's certificate: the rest of the document still carries idp's.
    const xml = idp.metadata('entra').replace(/(<IDPSSODescriptor[^>]*><KeyDescriptor use="signing">.*?<X509Certificate>)[^<]+/, `$1${other.certificateBase64}`);
    expect(parseIdpMetadata(xml).signingCertificates).toEqual([pemOf(other.certificateBase64)]);
  });

  test('an EntitiesDescriptor wrapping one EntityDescriptor', () => {
    const inner = idp.metadata('okta').replace(/^<\?xml[^>]*\?>/, '');
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="urn:example">${inner}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(xml).entityId).toBe(idp.entityId('okta'));
  });

  test('HTTP-POST is the login URL when the IdP offers no HTTP-Redirect', () => {
    const xml = idp.metadata('okta').replace(/<md:SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*\/>/, '');
    expect(parseIdpMetadata(xml)).toMatchObject({ loginUrl: idp.loginUrl('okta'), loginBinding: 'HTTP-POST' });
  });

  test('a KeyDescriptor without a use attribute serves signing too', () => {
    const xml = idp.metadata('okta').replace('<md:KeyDescriptor use="signing">', '<md:KeyDescriptor>');
    expect(parseIdpMetadata(xml).signingCertificates).toHaveLength(1);
  });
});

describe('refusals', () => {
  test.each([
    ['not XML at all', 'hello'],
    ['a truncated document', idp.metadata('okta').slice(0, 200)],
    ['mismatched tags', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><a></b></md:EntityDescriptor>'],
    ['an undeclared prefix', '<md:EntityDescriptor entityID="x"/>'],
    ['an empty document', ''],
  ])('MetadataXmlError (XMLDataUnmarshalFailed) for %s', (_label, xml) => {
    expect(() => parseIdpMetadata(xml)).toThrow(MetadataXmlError);
  });

  test('a DOCTYPE is refused before any entity is expanded (XXE, billion laughs)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${idp
      .metadata('okta')
      .replace(/^<\?xml[^>]*\?>/, '')
      .replace('entityID="', 'entityID="&xxe;')}`;
    expect(() => parseIdpMetadata(xxe)).toThrow(/DOCTYPE/);
    expect(() => parseIdpMetadata(xxe)).toThrow(MetadataXmlError);
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(() => parseIdpMetadata(laughs)).toThrow(MetadataXmlError);
  });

  test.each([
    ['SP metadata (no IDPSSODescriptor)', (xml: string) => xml.replace(/IDPSSODescriptor/g, 'SPSSODescriptor'), /IDPSSODescriptor/],
    ['no entityID', (xml: string) => xml.replace(/entityID="[^"]*"/, ''), /entityID/],
    ['no signing certificate', (xml: string) => xml.replace(/<md:KeyDescriptor.*?<\/md:KeyDescriptor>/, ''), /signing certificate/],
    ['only an encryption key', (xml: string) => xml.replace('use="signing"', 'use="encryption"'), /signing certificate/],
    ['no SingleSignOnService', (xml: string) => xml.replace(/<md:SingleSignOnService[^>]*\/>/g, ''), /SingleSignOnService/],
    ['a root element from another vocabulary', () => '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', /not a SAML 2.0 metadata/],
    [
      'an EntitiesDescriptor with two IdPs',
      (xml: string) => {
        const inner = xml.replace(/^<\?xml[^>]*\?>/, '');
        return `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${inner}${inner}</md:EntitiesDescriptor>`;
      },
      /2 identity providers/,
    ],
  ])('MetadataContentError for %s', (_label, edit, message) => {
    const xml = edit(idp.metadata('okta'));
    expect(() => parseIdpMetadata(xml)).toThrow(MetadataContentError);
    expect(() => parseIdpMetadata(xml)).toThrow(message);
  });
});

describe('a certificate in the metadata that cannot be used', () => {
  test('throws the certificate error itself (X509CertificateParsingFailed), not a metadata error', () => {
    const broken = idp.metadata('okta').replace(idp.certificateBase64, idp.certificateBase64.slice(0, 400));
    expect(() => parseIdpMetadata(broken)).toThrow(CertificateParseError);
  });
});

describe('decodeMetadataDocument (EncodedMetadataDocument)', () => {
  const xml = idp.metadata('onelogin');

  test('base64 of the XML, also wrapped at 76 columns', () => {
    const encoded = Buffer.from(xml).toString('base64');
    expect(decodeMetadataDocument(encoded)).toBe(xml);
    expect(decodeMetadataDocument((encoded.match(/.{1,76}/g) ?? []).join('\n'))).toBe(xml);
  });

  test('base64 of URL-encoded XML, the form the real service uses for its own documents', () => {
    expect(decodeMetadataDocument(Buffer.from(encodeURIComponent(xml)).toString('base64'))).toBe(xml);
  });

  test.each([
    ['not base64', 'this is <xml/>'],
    ['empty', ''],
    ['base64 of broken URL encoding', Buffer.from('%3Cmd%ZZ').toString('base64')],
  ])('MetadataDecodeError (DecodeMetadataDocumentFailed) for %s', (_label, encoded) => {
    expect(() => decodeMetadataDocument(encoded)).toThrow(MetadataDecodeError);
  });

  test('decodable but not XML is left to parseIdpMetadata, which says so (XMLDataUnmarshalFailed)', () => {
    const text = decodeMetadataDocument(Buffer.from('hello').toString('base64'));
    expect(() => parseIdpMetadata(text)).toThrow(MetadataXmlError);
  });
});
