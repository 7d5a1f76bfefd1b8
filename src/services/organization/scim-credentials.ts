import {
  createScimCredential,
  deleteScimCredential,
  listScimCredentials,
  setScimCredentialStatus,
} from '../../domain/scim-credentials.js';
import { domainContext } from './identity-center.js';
import type { OrganizationHandlers } from './handler-types.js';

export const scimCredentialHandlers: OrganizationHandlers = {
  CreateSCIMCredential: async (params, ctx) => {
    const { credential, secret } = await ctx.store.transact((s) =>
      createScimCredential(s, ctx.account, params.ZoneId, params.ExpireDuration, domainContext(ctx)),
    );
    return {
      ZoneId: credential.zoneId,
      CredentialId: credential.credentialId,
      CredentialType: credential.type,
      CreateTime: ctx.formatTime(credential.createTime),
      ExpireTime: ctx.formatTime(credential.expireTime),
      CredentialStatus: credential.status,
      CredentialSecret: secret,
    };
  },

  ListSCIMCredentials: (params, ctx) => {
    const credentials = ctx.store.read((s) => listScimCredentials(s, ctx.account, params.ZoneId, params.CredentialId));
    return {
      TotalCounts: credentials.length,
      SCIMCredentials: credentials.map((c) => ({
        ZoneId: c.zoneId,
        Status: c.status,
        CredentialId: c.credentialId,
        CredentialType: c.type,
        CreateTime: ctx.formatTime(c.createTime),
        ExpireTime: ctx.formatTime(c.expireTime),
      })),
    };
  },

  UpdateSCIMCredentialStatus: async (params, ctx) => {
    await ctx.store.transact((s) =>
      setScimCredentialStatus(s, ctx.account, params.ZoneId, params.CredentialId, params.NewStatus),
    );
    return {};
  },

  DeleteSCIMCredential: async (params, ctx) => {
    await ctx.store.transact((s) => deleteScimCredential(s, ctx.account, params.ZoneId, params.CredentialId));
    return {};
  },
};
