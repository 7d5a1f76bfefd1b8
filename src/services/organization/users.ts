import type { HandlerContext } from '../../api/catalog.js';
import type { UserInfo } from '../../generated/organization-2021-03-31.js';
import { createUser, deleteUser, listUsers, requireUser, updateUser } from '../../domain/users.js';
import { requireZone } from '../../domain/zones.js';
import type { IdGenerator } from '../../runtime/ids.js';
import type { User } from '../../domain/entities.js';
import type { OrganizationHandlers } from './handler-types.js';
import { domainContext } from './identity-center.js';
import { withJsonText } from '../../api/json-fragments.js';
import { RecordMemo } from '../../runtime/record-memo.js';

/**
 * A user as the API shows it. Without extras it is remembered per record and
 * per time formatter (one per pipeline, for its UTC offset), frozen and with
 * its JSON text: a page of ListUsers is then mostly concatenation.
 */
export function userInfo(user: User, ctx: HandlerContext, extra?: { isSelected?: boolean; password?: string }): UserInfo {
  if (extra === undefined || (extra.isSelected === undefined && extra.password === undefined)) return plainUserInfo(user, ctx.formatTime);
  return renderUserInfo(user, ctx.formatTime, extra);
}

type FormatTime = HandlerContext['formatTime'];
const plainInfos = new WeakMap<FormatTime, RecordMemo<User, UserInfo>>();

function plainUserInfo(user: User, formatTime: FormatTime): UserInfo {
  let memo = plainInfos.get(formatTime);
  if (!memo) {
    memo = new RecordMemo((u: User) => withJsonText(renderUserInfo(u, formatTime, {})));
    plainInfos.set(formatTime, memo);
  }
  return memo.get(user);
}

function renderUserInfo(user: User, formatTime: FormatTime, extra: { isSelected?: boolean; password?: string }): UserInfo {
  const info: UserInfo = {
    UserName: user.userName,
    FirstName: user.firstName,
    LastName: user.lastName,
    DisplayName: user.displayName,
    Description: user.description,
    Email: user.email,
    UserStatus: user.userStatus,
    UserType: user.userType,
    UserId: user.userId,
    CreateTime: formatTime(user.createTime),
    UpdateTime: formatTime(user.updateTime),
  };
  if (extra.isSelected !== undefined) info.IsSelected = extra.isSelected;
  if (extra.password !== undefined) info.Password = extra.password;
  info.NeedResetPassword = user.needResetPassword;
  return info;
}

/**
 * CreateUser answers with the new user's initial password, as the reference
 * example shows. The emulator has no sign-in, so it is not stored: random
 * letters/digits plus a fixed tail that satisfies the usual complexity rules.
 */
function initialPassword(ids: IdGenerator): string {
  return `${ids.secret(12).replace(/[^A-Za-z0-9]/g, '')}Aa1!`;
}

export const userHandlers: OrganizationHandlers = {
  CreateUser: async (params, ctx) => {
    const user = await ctx.store.transact((s) =>
      createUser(
        s,
        requireZone(s, ctx.account, params.ZoneId),
        {
          userName: params.UserName,
          firstName: params.FirstName,
          lastName: params.LastName,
          displayName: params.DisplayName,
          description: params.Description,
          email: params.Email,
          userStatus: params.UserStatus,
          userType: params.UserType,
          needResetPassword: params.NeedResetPassword,
        },
        domainContext(ctx),
        'api',
      ),
    );
    return { UserInfo: userInfo(user, ctx, { password: initialPassword(ctx.ids) }) };
  },

  GetUser: (params, ctx) => {
    const user = ctx.store.read((s) => requireUser(s, requireZone(s, ctx.account, params.ZoneId).zoneId, params.UserId));
    return { UserInfo: userInfo(user, ctx) };
  },

  ListUsers: (params, ctx) => {
    const page = ctx.store.read((s) =>
      listUsers(s, requireZone(s, ctx.account, params.ZoneId), {
        userStatus: params.UserStatus,
        userType: params.UserType,
        filter: params.Filter,
        filterGroups: params.FilterGroups,
        sortField: params.SortField,
        sortType: params.SortType,
        page: { maxResults: params.MaxResults, nextToken: params.NextToken, offset: params.Offset },
      }),
    );
    return {
      TotalCounts: page.totalCounts,
      MaxResults: page.maxResults,
      Users: page.items.map((user, i) => (page.selected ? userInfo(user, ctx, { isSelected: page.selected[i] }) : userInfo(user, ctx))),
      NextToken: page.nextToken,
      IsTruncated: page.isTruncated,
    };
  },

  UpdateUser: async (params, ctx) => {
    const user = await ctx.store.transact((s) =>
      updateUser(
        s,
        requireZone(s, ctx.account, params.ZoneId),
        params.UserId,
        {
          firstName: params.NewFirstName,
          lastName: params.NewLastName,
          displayName: params.NewDisplayName,
          description: params.NewDescription,
          email: params.NewEmail,
          needResetPassword: params.NeedResetPassword,
        },
        domainContext(ctx),
        'api',
      ),
    );
    return { UserInfo: userInfo(user, ctx) };
  },

  UpdateUserStatus: async (params, ctx) => {
    await ctx.store.transact((s) =>
      updateUser(
        s,
        requireZone(s, ctx.account, params.ZoneId),
        params.UserId,
        { userStatus: params.NewUserStatus },
        domainContext(ctx),
        'api',
      ),
    );
    return {};
  },

  DeleteUser: async (params, ctx) => {
    await ctx.store.transact((s) =>
      deleteUser(s, requireZone(s, ctx.account, params.ZoneId), params.UserId, 'api', { ctx: domainContext(ctx) }),
    );
    return {};
  },
};
