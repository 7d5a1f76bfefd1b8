// The SAML configuration actions over HTTP: the service provider's own
// addresses, the identity provider (from metadata or field by field) and its
// signing certificates, with every documented refusal.
import { NS, attribute, descendants, parseStrictXml } from '../../src/saml/xml.js';
import { DEMO_ZONE_ID, asOther, conforms, errorCode, ok, testEmulator, type TestEmulator } from '../helpers/api.js';
import { TestIdp, makeKeyAndCertificate, opensslX509, type IdpShape } from '../helpers/saml-idp.js';

const ZoneId = DEMO_ZONE_ID;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let emu: TestEmulator;
let idp: TestIdp;
beforeAll(() => {
  idp = TestIdp.create();
});
beforeEach(async () => {
  emu = await testEmulator({ publicUrl: 'http://sso.example.test:9000' });
});
afterEach(() => emu.close());

interface Json {
  [key: string]: unknown;
}

describe('GetZoneSAMLServiceProviderInfo', () => {
  test('hands out an Entity ID and ACS URL under the public URL, and SP metadata naming exactly them', async () => {
    const res = await emu.call('GetZoneSAMLServiceProviderInfo', { ZoneId });
    conforms('GetZoneSAMLServiceProviderInfo', res);
    const sp = ok(res).SAMLServiceProvider as Json;
    expect(sp).toMatchObject({
      ZoneId,
      EntityId: `http://sso.example.test:9000/saml/sp/${ZoneId}`,
      AcsUrl: `http://sso.example.test:9000/saml/sp/${ZoneId}/acs`,
    });
    const xml = Buffer.from(sp.EncodedMetadataDocument as string, 'base64').toString('utf8');
    const doc = parseStrictXml(xml);
    const [entity] = descendants(doc, NS.md, 'EntityDescriptor');
    expect(attribute(entity!, 'entityID')).toBe(sp.EntityId);
    const acs = descendants(doc, NS.md, 'AssertionConsumerService');
    expect(acs).toHaveLength(1);
    expect(attribute(acs[0]!, 'Location')).toBe(sp.AcsUrl);
    expect(attribute(acs[0]!, 'Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
  });

  test('without --public-url the addresses are the listening address, the wildcard read as loopback', async () => {
    const local = await testEmulator({ host: '0.0.0.0', port: 9123 });
    try {
      const sp = ok(await local.call('GetZoneSAMLServiceProviderInfo', { ZoneId })).SAMLServiceProvider as Json;
      expect(sp.AcsUrl).toBe(`http://127.0.0.1:9123/saml/sp/${ZoneId}/acs`);
      local.listeningAt('http://127.0.0.1:40001');
      expect((ok(await local.call('GetZoneSAMLServiceProviderInfo', { ZoneId })).SAMLServiceProvider as Json).EntityId).toBe(
        `http://127.0.0.1:40001/saml/sp/${ZoneId}`,
      );
    } finally {
      await local.close();
    }
  });

  test('another account gets FailedOperation.IdentityCenterNotOpen; an unknown zone FailedOperation.ZoneIdNotExist', async () => {
    expect(errorCode(await emu.call('GetZoneSAMLServiceProviderInfo', { ZoneId }, asOther()))).toBe('FailedOperation.IdentityCenterNotOpen');
    expect(errorCode(await emu.call('GetZoneSAMLServiceProviderInfo', { ZoneId: 'z-000000000000' }))).toBe('FailedOperation.ZoneIdNotExist');
  });
});

describe('SetExternalSAMLIdentityProvider from a metadata document', () => {
  test.each<[IdpShape]>([['okta'], ['onelogin'], ['entra']])('takes the entity ID, login URL and certificate of %s-style metadata', async (shape) => {
    const metadata = b64(idp.metadata(shape));
    const set = ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: metadata, SSOStatus: 'Enabled' }));
    expect(set.CertificateIds).toEqual([expect.stringMatching(/^idp-c-[a-z0-9]{20}$/)]);
    const res = await emu.call('GetExternalSAMLIdentityProvider', { ZoneId });
    conforms('GetExternalSAMLIdentityProvider', res);
    expect(ok(res).SAMLIdentityProviderConfiguration).toEqual({
      EntityId: idp.entityId(shape),
      LoginUrl: idp.loginUrl(shape),
      SSOStatus: 'Enabled',
      EncodedMetadataDocument: metadata,
      CertificateIds: set.CertificateIds,
      CreateTime: '2026-03-01 08:00:00',
      UpdateTime: '2026-03-01 08:00:00',
    });
  });

  test('accepts base64 of the URL-encoded document, as the real console uploads it', async () => {
    const metadata = b64(encodeURIComponent(idp.metadata('okta')));
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: metadata }));
    const config = ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration as Json;
    expect(config).toMatchObject({ EntityId: idp.entityId('okta'), SSOStatus: 'Disabled' });
  });

  test('a second signing certificate in the metadata (key rollover) is taken too', async () => {
    const next = makeKeyAndCertificate({ subject: '/CN=next-key' });
    const set = ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: b64(idp.metadata('okta', { nextCertificatePem: next.certificatePem })) }));
    expect(set.CertificateIds).toHaveLength(2);
  });

  test.each([
    ['not base64 at all', 'FailedOperation.DecodeMetadataDocumentFailed', 'this is *not* base64!'],
    ['base64 of bytes that are not text', 'FailedOperation.DecodeMetadataDocumentFailed', Buffer.from([0xff, 0xfe, 0x00, 0xc3]).toString('base64')],
    ['base64 of text that is not XML', 'FailedOperation.XMLDataUnmarshalFailed', b64('{"entityID": "json"}')],
    ['base64 of XML that breaks off', 'FailedOperation.XMLDataUnmarshalFailed', b64('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">')],
    ['base64 of XML with a DOCTYPE (entity expansion)', 'FailedOperation.XMLDataUnmarshalFailed', b64('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')],
    ['base64 of SP metadata, not an IdP', 'FailedOperation.MetadataCosParsingFailed', b64('<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></EntityDescriptor>')],
  ])('%s -> %s, and nothing changes', async (_what, code, document) => {
    expect(errorCode(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: document }))).toBe(code);
    expect(errorCode(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId }))).toBe('ResourceNotFound.SAMLIdentityProviderNotFound');
  });
});

describe('SetExternalSAMLIdentityProvider field by field', () => {
  const fields = () => ({ ZoneId, EntityId: 'https://idp.example.test/entity', LoginUrl: 'https://idp.example.test/sso', X509Certificate: idp.certificatePem });

  test('EntityId, LoginUrl and X509Certificate configure the IdP; SSO stays Disabled unless asked', async () => {
    const set = ok(await emu.call('SetExternalSAMLIdentityProvider', fields()));
    const config = ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration as Json;
    expect(config).toMatchObject({ EntityId: 'https://idp.example.test/entity', LoginUrl: 'https://idp.example.test/sso', SSOStatus: 'Disabled', EncodedMetadataDocument: '', CertificateIds: set.CertificateIds });
  });

  test('a later call changes only what it names; X509Certificate replaces every certificate', async () => {
    ok(await emu.call('SetExternalSAMLIdentityProvider', fields()));
    const second = makeKeyAndCertificate();
    ok(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: second.certificatePem }));
    emu.clock.advance(60);
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, SSOStatus: 'Enabled' }));
    let config = ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration as Json;
    expect(config).toMatchObject({ EntityId: 'https://idp.example.test/entity', SSOStatus: 'Enabled', CreateTime: '2026-03-01 08:00:00', UpdateTime: '2026-03-01 08:01:00' });
    expect(config.CertificateIds).toHaveLength(2);

    const third = makeKeyAndCertificate();
    const replaced = ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, X509Certificate: third.certificateBase64 }));
    expect(replaced.CertificateIds).toHaveLength(1);
    config = ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration as Json;
    expect(config.CertificateIds).toEqual(replaced.CertificateIds);
    const listed = ok(await emu.call('ListExternalSAMLIdPCertificates', { ZoneId }));
    expect((listed.SAMLIdPCertificates as Json[]).map((c) => c.X509Certificate)).toEqual([third.certificatePem.replace(/\r/g, '')]);
  });

  test.each([
    ['SSOStatus "On"', 'InvalidParameterValue.SSoStatusInvalid', { SSOStatus: 'On' }],
    ['an X509Certificate that is not certificate text', 'InvalidParameterValue.X509CertificateFormatError', { X509Certificate: 'hello' }],
    ['a PEM block whose body is not a certificate', 'FailedOperation.X509CertificateParsingFailed', { X509Certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }],
    ['a LoginUrl that is no web address', 'InvalidParameterValue', { LoginUrl: 'ftp://idp.example.test/sso' }],
    ['an empty EntityId', 'InvalidParameterValue', { EntityId: '' }],
  ])('%s -> %s', async (_what, code, params) => {
    expect(errorCode(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, ...params }))).toBe(code);
  });

  test('SSO cannot be enabled without a certificate (X509CertificateMinimumRequired) or without EntityId and LoginUrl (MissingParameter)', async () => {
    expect(errorCode(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EntityId: 'e', LoginUrl: 'https://idp.example.test/', SSOStatus: 'Enabled' }))).toBe(
      'FailedOperation.X509CertificateMinimumRequired',
    );
    const res = await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, X509Certificate: idp.certificatePem, SSOStatus: 'Enabled' });
    expect(errorCode(res)).toBe('MissingParameter');
    expect((res.body as { Response: { Error: { Message: string } } }).Response.Error.Message).toMatch(/EntityId and LoginUrl/);
    // Refused calls change nothing.
    expect(errorCode(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId }))).toBe('ResourceNotFound.SAMLIdentityProviderNotFound');
  });
});

describe('certificates: Add, List, Remove', () => {
  test('List reads every fact from the certificate, as openssl reads it', async () => {
    const cert = makeKeyAndCertificate({ subject: '/C=US/O=Okta/OU=SSOProvider/CN=dev-123456', serial: '0x0123456789ABCDEF', digest: 'sha256' });
    const added = ok(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: cert.certificatePem }));
    expect(added.CertificateId).toMatch(/^idp-c-[a-z0-9]{20}$/);
    const res = await emu.call('ListExternalSAMLIdPCertificates', { ZoneId });
    conforms('ListExternalSAMLIdPCertificates', res);
    const listed = ok(res);
    expect(listed.TotalCounts).toBe(1);
    const [facts] = listed.SAMLIdPCertificates as Json[];
    expect(facts).toMatchObject({
      CertificateId: added.CertificateId,
      SerialNumber: BigInt('0x0123456789ABCDEF').toString(10),
      Subject: 'CN=dev-123456,OU=SSOProvider,O=Okta,C=US',
      Issuer: 'CN=dev-123456,OU=SSOProvider,O=Okta,C=US',
      Version: 3,
      SignatureAlgorithm: 'SHA256withRSA',
      X509Certificate: cert.certificatePem.replace(/\r/g, ''),
    });
    const utc8 = (openssl: string) => {
      const at = new Date(Date.parse(openssl.split('=')[1]!) + 8 * 3600_000).toISOString();
      return `${at.slice(0, 10)} ${at.slice(11, 19)}`;
    };
    expect(facts!.NotBefore).toBe(utc8(opensslX509(cert.certificatePem, ['-startdate']).trim()));
    expect(facts!.NotAfter).toBe(utc8(opensslX509(cert.certificatePem, ['-enddate']).trim()));
    expect(facts!.PublicKey).toBe(opensslX509(cert.certificatePem, ['-pubkey']));
  });

  test('a certificate is added once; a zone holds two; the last cannot go while SSO is enabled', async () => {
    const first = ok(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: idp.certificatePem })).CertificateId as string;
    // The same certificate as bare base64 is still the same certificate.
    expect(errorCode(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: idp.certificateBase64 }))).toBe('FailedOperation.X509CertificateAlreadyExist');
    const second = ok(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: makeKeyAndCertificate().certificatePem })).CertificateId as string;
    expect(errorCode(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: makeKeyAndCertificate().certificatePem }))).toBe(
      'FailedOperation.X509CertificateLimitExceeded',
    );

    // Adding certificates created the IdP configuration, empty and disabled.
    expect(ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration).toMatchObject({ EntityId: '', SSOStatus: 'Disabled', CertificateIds: [first, second] });
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EntityId: 'urn:idp', LoginUrl: 'https://idp.example.test/sso', SSOStatus: 'Enabled' }));

    conforms('RemoveExternalSAMLIdPCertificate', await emu.call('RemoveExternalSAMLIdPCertificate', { ZoneId, CertificateId: first }));
    expect(errorCode(await emu.call('RemoveExternalSAMLIdPCertificate', { ZoneId, CertificateId: first }))).toBe('ResourceNotFound.X509CertificateNotFound');
    expect(errorCode(await emu.call('RemoveExternalSAMLIdPCertificate', { ZoneId, CertificateId: second }))).toBe('FailedOperation.X509CertificateMinimumRequired');
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, SSOStatus: 'Disabled' }));
    ok(await emu.call('RemoveExternalSAMLIdPCertificate', { ZoneId, CertificateId: second }));
    expect(ok(await emu.call('ListExternalSAMLIdPCertificates', { ZoneId }))).toMatchObject({ TotalCounts: 0, SAMLIdPCertificates: [] });
  });

  test('bad certificate text: format error vs parse error', async () => {
    expect(errorCode(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: 'not a certificate' }))).toBe('InvalidParameterValue.X509CertificateFormatError');
    expect(errorCode(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: 'MIIBAAAA' }))).toBe('FailedOperation.X509CertificateParsingFailed');
  });
});

describe('ClearExternalSAMLIdentityProvider', () => {
  test('refuses while SSO is enabled; then clears the IdP and its certificates', async () => {
    expect(errorCode(await emu.call('ClearExternalSAMLIdentityProvider', { ZoneId }))).toBe('ResourceNotFound.SAMLIdentityProviderNotFound');
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: b64(idp.metadata()), SSOStatus: 'Enabled' }));
    expect(errorCode(await emu.call('ClearExternalSAMLIdentityProvider', { ZoneId }))).toBe('FailedOperation.SSoStatusEnableNotClearIdentityProvider');
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, SSOStatus: 'Disabled' }));
    conforms('ClearExternalSAMLIdentityProvider', await emu.call('ClearExternalSAMLIdentityProvider', { ZoneId }));
    expect(errorCode(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId }))).toBe('ResourceNotFound.SAMLIdentityProviderNotFound');
    expect(ok(await emu.call('ListExternalSAMLIdPCertificates', { ZoneId })).TotalCounts).toBe(0);
  });
});
