import type { OrganizationAction } from '../../generated/organization-2021-03-31.js';
import type { OrganizationHandler, OrganizationHandlers } from './handler-types.js';

/**
 * The SAML actions load with the first of them (saml-actions.ts): their
 * library (xml-crypto, @xmldom/xmldom, xpath) took ~20 ms of every start-up,
 * and most emulators never configure SAML. The /saml/sp routes load with
 * Express, on their first request, for the same reason.
 */
let loading: Promise<OrganizationHandlers> | undefined;
const actions = (): Promise<OrganizationHandlers> => (loading ??= import('./saml-actions.js').then((m) => m.samlActions));

function deferred<A extends OrganizationAction>(action: A): OrganizationHandler<A> {
  return async (params, ctx) => {
    const handler = (await actions())[action] as OrganizationHandler<A> | undefined;
    if (!handler) throw new Error(`saml-actions.ts has no handler for ${action}`);
    return handler(params, ctx);
  };
}

export const samlHandlers: OrganizationHandlers = {
  GetZoneSAMLServiceProviderInfo: deferred('GetZoneSAMLServiceProviderInfo'),
  SetExternalSAMLIdentityProvider: deferred('SetExternalSAMLIdentityProvider'),
  GetExternalSAMLIdentityProvider: deferred('GetExternalSAMLIdentityProvider'),
  ClearExternalSAMLIdentityProvider: deferred('ClearExternalSAMLIdentityProvider'),
  AddExternalSAMLIdPCertificate: deferred('AddExternalSAMLIdPCertificate'),
  ListExternalSAMLIdPCertificates: deferred('ListExternalSAMLIdPCertificates'),
  RemoveExternalSAMLIdPCertificate: deferred('RemoveExternalSAMLIdPCertificate'),
};
