/** The service provider's addresses for one zone, as GetZoneSAMLServiceProviderInfo hands them out and the ACS checks them. */
export interface ServiceProviderUrls {
  /** The SP Entity ID: what a response's Audience must name. */
  entityId: string;
  /** Where the IdP posts responses: what a response's Destination must name. */
  acsUrl: string;
  /** Starts an SP-initiated login. */
  loginUrl: string;
}

/** Every SAML path of a zone lives under this prefix. */
export const SAML_PATH_PREFIX = '/saml/sp/';

export function serviceProviderUrls(publicUrl: string, zoneId: string): ServiceProviderUrls {
  const entityId = `${publicUrl}${SAML_PATH_PREFIX}${encodeURIComponent(zoneId)}`;
  return { entityId, acsUrl: `${entityId}/acs`, loginUrl: `${entityId}/login` };
}
