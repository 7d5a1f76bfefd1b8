import { ApiError } from '../errors/api-error.js';
import type { Account, EnabledStatus, SamlCertificate, SamlIdentityProvider, Zone } from './entities.js';
import { unusedId, type DomainContext } from './context.js';
import { zoneKey, type Db, type DbView } from './schema.js';
import { requireZone } from './zones.js';

/** The real service's rule (the same as the CloudSSO API it mirrors), not a setting. */
export const SAML_CERTIFICATES_PER_ZONE = 2;

/** A certificate already read and checked (see saml/certificates.ts): its normalised PEM and DER fingerprint. */
export interface CertificateInput {
  readonly pem: string;
  readonly fingerprint: string;
}

/** What one SetExternalSAMLIdentityProvider call changes; absent fields stay as they are. */
export interface IdentityProviderChange {
  readonly entityId?: string;
  readonly loginUrl?: string;
  /** With loginUrl: how the IdP takes AuthnRequests there (metadata says; a URL given by hand is HTTP-Redirect). */
  readonly loginBinding?: 'HTTP-Redirect' | 'HTTP-POST';
  /** Replaces every certificate (a certificate already present keeps its ID). */
  readonly certificates?: readonly CertificateInput[];
  /** Set when the change came from an uploaded metadata document. */
  readonly encodedMetadataDocument?: string;
  readonly ssoStatus?: EnabledStatus;
}

export interface IdentityProviderView {
  provider: SamlIdentityProvider;
  certificates: SamlCertificate[];
}

export function identityProviderOf(db: DbView, zoneId: string): SamlIdentityProvider | undefined {
  return db.samlIdentityProviders.get(zoneId);
}

/** The zone's certificates in the order they were added. */
export function certificatesOf(db: DbView, zoneId: string): SamlCertificate[] {
  return db.samlCertificates.find('zone', zoneId);
}

export function setIdentityProvider(db: Db, account: Account, zoneId: string, change: IdentityProviderChange, ctx: DomainContext): IdentityProviderView {
  const zone = requireZone(db, account, zoneId);
  const now = ctx.now.toISOString();
  const existing = identityProviderOf(db, zone.zoneId);
  if (change.certificates) replaceCertificates(db, zone, change.certificates, ctx);
  const describesNewConfiguration = change.entityId !== undefined || change.loginUrl !== undefined || change.certificates !== undefined;
  const loginBinding = change.loginUrl !== undefined ? change.loginBinding : existing?.loginBinding;
  const provider: SamlIdentityProvider = {
    zoneId: zone.zoneId,
    entityId: change.entityId ?? existing?.entityId ?? '',
    loginUrl: change.loginUrl ?? existing?.loginUrl ?? '',
    ...(loginBinding === 'HTTP-POST' ? { loginBinding } : {}),
    ssoStatus: change.ssoStatus ?? existing?.ssoStatus ?? 'Disabled',
    // The document describes what was uploaded: a field changed by hand makes it stale.
    encodedMetadataDocument: change.encodedMetadataDocument ?? (describesNewConfiguration ? '' : existing?.encodedMetadataDocument ?? ''),
    createTime: existing?.createTime ?? now,
    updateTime: now,
  };
  const certificates = certificatesOf(db, zone.zoneId);
  if (provider.ssoStatus === 'Enabled') assertUsable(zone, provider, certificates);
  db.samlIdentityProviders.put(provider);
  return { provider, certificates };
}

/** Signing in needs somewhere to send users, an issuer to expect and a key to check signatures with. */
function assertUsable(zone: Zone, provider: SamlIdentityProvider, certificates: readonly SamlCertificate[]): void {
  const missing = [provider.entityId === '' ? 'EntityId' : null, provider.loginUrl === '' ? 'LoginUrl' : null].filter((m) => m !== null);
  if (missing.length > 0) throw new ApiError('ssoIncomplete', { missing: missing.join(' and ') });
  if (certificates.length === 0) throw new ApiError('x509Minimum', { zoneId: zone.zoneId });
}

function replaceCertificates(db: Db, zone: Zone, wanted: readonly CertificateInput[], ctx: DomainContext): void {
  const distinct = [...new Map(wanted.map((c) => [c.fingerprint, c])).values()];
  if (distinct.length > SAML_CERTIFICATES_PER_ZONE) throw new ApiError('x509Limit', { zoneId: zone.zoneId, limit: SAML_CERTIFICATES_PER_ZONE });
  const keep = new Set(distinct.map((c) => c.fingerprint));
  for (const old of certificatesOf(db, zone.zoneId)) {
    if (!keep.has(old.fingerprint)) db.samlCertificates.delete(old.certificateId);
  }
  for (const certificate of distinct) {
    if (!db.samlCertificates.findOne('fingerprint', zoneKey(zone.zoneId, certificate.fingerprint))) insertCertificate(db, zone, certificate, ctx);
  }
}

function insertCertificate(db: Db, zone: Zone, certificate: CertificateInput, ctx: DomainContext): SamlCertificate {
  return db.samlCertificates.put({
    certificateId: newCertificateId(db, ctx),
    zoneId: zone.zoneId,
    pem: certificate.pem,
    fingerprint: certificate.fingerprint,
    createTime: ctx.now.toISOString(),
  });
}

/** `idp-c-` + 20 lowercase letters/digits, the real service's style. */
function newCertificateId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'idp-c-', 20, db.samlCertificates);
}

export function getIdentityProvider(db: DbView, account: Account, zoneId: string): IdentityProviderView {
  const zone = requireZone(db, account, zoneId);
  const provider = identityProviderOf(db, zone.zoneId);
  if (!provider) throw new ApiError('samlIdpNotFound', { zoneId: zone.zoneId });
  return { provider, certificates: certificatesOf(db, zone.zoneId) };
}

export function clearIdentityProvider(db: Db, account: Account, zoneId: string): void {
  const { provider, certificates } = getIdentityProvider(db, account, zoneId);
  if (provider.ssoStatus === 'Enabled') throw new ApiError('samlClearWhileEnabled', { zoneId: provider.zoneId });
  for (const certificate of certificates) db.samlCertificates.delete(certificate.certificateId);
  db.samlIdentityProviders.delete(provider.zoneId);
}

/**
 * Adding a certificate to a zone without an identity provider creates one
 * (SSO disabled, no EntityId yet): the console lets certificates be managed
 * before the rest is filled in.
 */
export function addCertificate(db: Db, account: Account, zoneId: string, certificate: CertificateInput, ctx: DomainContext): SamlCertificate {
  const zone = requireZone(db, account, zoneId);
  const duplicate = db.samlCertificates.findOne('fingerprint', zoneKey(zone.zoneId, certificate.fingerprint));
  if (duplicate) throw new ApiError('x509Exists', { zoneId: zone.zoneId, certificateId: duplicate.certificateId });
  if (db.samlCertificates.count('zone', zone.zoneId) >= SAML_CERTIFICATES_PER_ZONE) {
    throw new ApiError('x509Limit', { zoneId: zone.zoneId, limit: SAML_CERTIFICATES_PER_ZONE });
  }
  if (!identityProviderOf(db, zone.zoneId)) {
    const now = ctx.now.toISOString();
    db.samlIdentityProviders.put({ zoneId: zone.zoneId, entityId: '', loginUrl: '', ssoStatus: 'Disabled', encodedMetadataDocument: '', createTime: now, updateTime: now });
  }
  return insertCertificate(db, zone, certificate, ctx);
}

export function listCertificates(db: DbView, account: Account, zoneId: string): SamlCertificate[] {
  return certificatesOf(db, requireZone(db, account, zoneId).zoneId);
}

export function removeCertificate(db: Db, account: Account, zoneId: string, certificateId: string): void {
  const zone = requireZone(db, account, zoneId);
  const certificate = db.samlCertificates.get(certificateId);
  if (!certificate || certificate.zoneId !== zone.zoneId) throw new ApiError('x509NotFound', { zoneId: zone.zoneId, certificateId });
  const ssoEnabled = identityProviderOf(db, zone.zoneId)?.ssoStatus === 'Enabled';
  if (ssoEnabled && db.samlCertificates.count('zone', zone.zoneId) <= 1) throw new ApiError('x509Minimum', { zoneId: zone.zoneId });
  db.samlCertificates.delete(certificate.certificateId);
}
