import { ApiError } from '../../errors/api-error.js';
import { isEnabledStatus } from '../../domain/context.js';
import type { SamlCertificate } from '../../domain/entities.js';
import {
  addCertificate,
  clearIdentityProvider,
  getIdentityProvider,
  listCertificates,
  removeCertificate,
  SAML_CERTIFICATES_PER_ZONE,
  setIdentityProvider,
  type CertificateInput,
  type IdentityProviderChange,
} from '../../domain/saml-config.js';
import { requireZone } from '../../domain/zones.js';
import type { HandlerContext } from '../../api/catalog.js';
import { buildSpMetadata, inspectCertificate, type CertificateFacts } from '../../saml/index.js';
import { serviceProviderUrls } from '../../sso/urls.js';
import type { OrganizationHandlers } from './handler-types.js';
import { domainContext } from './identity-center.js';
import { checkEntityId, checkLoginUrl, readCertificate, readIdpMetadata, readMetadataDocument } from './saml-inputs.js';

function certificateInput(facts: CertificateFacts): CertificateInput {
  return { pem: facts.pem, fingerprint: facts.fingerprintSha256 };
}

/**
 * Parameters -> the change they ask for. Everything that can fail without the
 * state (decoding, XML, certificates) fails here, before the transaction.
 * Explicit EntityId / LoginUrl / X509Certificate win over the metadata's.
 */
function requestedChange(params: {
  EncodedMetadataDocument?: string;
  SSOStatus?: string;
  EntityId?: string;
  LoginUrl?: string;
  X509Certificate?: string;
}): IdentityProviderChange {
  if (params.SSOStatus !== undefined && !isEnabledStatus(params.SSOStatus)) throw new ApiError('ssoStatusInvalid', { status: params.SSOStatus });
  let change: IdentityProviderChange = params.SSOStatus !== undefined ? { ssoStatus: params.SSOStatus } : {};
  if (params.EncodedMetadataDocument !== undefined) {
    const metadata = readIdpMetadata(readMetadataDocument(params.EncodedMetadataDocument));
    // The library lists each distinct signing key once; a document may list more than a zone holds: the first ones are current.
    const certificates = metadata.signingCertificates.slice(0, SAML_CERTIFICATES_PER_ZONE).map((c) => certificateInput(readCertificate(c)));
    change = {
      ...change,
      entityId: checkEntityId(metadata.entityId),
      loginUrl: checkLoginUrl(metadata.loginUrl),
      loginBinding: metadata.loginBinding,
      certificates,
      encodedMetadataDocument: params.EncodedMetadataDocument.replace(/\s+/g, ''),
    };
  }
  if (params.EntityId !== undefined) change = { ...change, entityId: checkEntityId(params.EntityId) };
  if (params.LoginUrl !== undefined) change = { ...change, loginUrl: checkLoginUrl(params.LoginUrl), loginBinding: 'HTTP-Redirect' };
  if (params.X509Certificate !== undefined) change = { ...change, certificates: [certificateInput(readCertificate(params.X509Certificate))] };
  return change;
}

function certificateView(certificate: SamlCertificate, ctx: HandlerContext) {
  const facts = inspectCertificate(certificate.pem);
  return {
    CertificateId: certificate.certificateId,
    SerialNumber: facts.serialNumber,
    Issuer: facts.issuer,
    Subject: facts.subject,
    Version: facts.version,
    SignatureAlgorithm: facts.signatureAlgorithm,
    NotBefore: ctx.formatTime(facts.notBefore),
    NotAfter: ctx.formatTime(facts.notAfter),
    PublicKey: facts.publicKey,
    X509Certificate: certificate.pem,
  };
}

/** Loaded by saml.ts with the first SAML action. */
export const samlActions: OrganizationHandlers = {
  GetZoneSAMLServiceProviderInfo: (params, ctx) => {
    const zone = ctx.store.read((s) => requireZone(s, ctx.account, params.ZoneId));
    const urls = serviceProviderUrls(ctx.publicUrl(), zone.zoneId);
    const metadata = buildSpMetadata({ entityId: urls.entityId, acsUrl: urls.acsUrl });
    return {
      SAMLServiceProvider: {
        EntityId: urls.entityId,
        ZoneId: zone.zoneId,
        EncodedMetadataDocument: Buffer.from(metadata, 'utf8').toString('base64'),
        AcsUrl: urls.acsUrl,
      },
    };
  },

  SetExternalSAMLIdentityProvider: async (params, ctx) => {
    const change = requestedChange(params);
    const { certificates } = await ctx.store.transact((s) => setIdentityProvider(s, ctx.account, params.ZoneId, change, domainContext(ctx)));
    return { CertificateIds: certificates.map((c) => c.certificateId) };
  },

  GetExternalSAMLIdentityProvider: (params, ctx) => {
    const { provider, certificates } = ctx.store.read((s) => getIdentityProvider(s, ctx.account, params.ZoneId));
    return {
      SAMLIdentityProviderConfiguration: {
        EntityId: provider.entityId,
        SSOStatus: provider.ssoStatus,
        EncodedMetadataDocument: provider.encodedMetadataDocument,
        CertificateIds: certificates.map((c) => c.certificateId),
        LoginUrl: provider.loginUrl,
        CreateTime: ctx.formatTime(provider.createTime),
        UpdateTime: ctx.formatTime(provider.updateTime),
      },
    };
  },

  ClearExternalSAMLIdentityProvider: async (params, ctx) => {
    await ctx.store.transact((s) => clearIdentityProvider(s, ctx.account, params.ZoneId));
    return {};
  },

  AddExternalSAMLIdPCertificate: async (params, ctx) => {
    const certificate = certificateInput(readCertificate(params.X509Certificate));
    const added = await ctx.store.transact((s) => addCertificate(s, ctx.account, params.ZoneId, certificate, domainContext(ctx)));
    return { CertificateId: added.certificateId };
  },

  ListExternalSAMLIdPCertificates: (params, ctx) => {
    const certificates = ctx.store.read((s) => listCertificates(s, ctx.account, params.ZoneId));
    return { TotalCounts: certificates.length, SAMLIdPCertificates: certificates.map((c) => certificateView(c, ctx)) };
  },

  RemoveExternalSAMLIdPCertificate: async (params, ctx) => {
    await ctx.store.transact((s) => removeCertificate(s, ctx.account, params.ZoneId, params.CertificateId));
    return {};
  },
};
