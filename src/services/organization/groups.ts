import type { HandlerContext } from '../../api/catalog.js';
import type { GroupInfo } from '../../generated/organization-2021-03-31.js';
import { createGroup, deleteGroup, listGroups, memberCount, requireGroup, updateGroup } from '../../domain/groups.js';
import { addMember, listGroupMembers, listJoinedGroups, removeMember } from '../../domain/memberships.js';
import { requireZone } from '../../domain/zones.js';
import type { Group } from '../../domain/entities.js';
import type { OrganizationHandlers } from './handler-types.js';
import { domainContext } from './identity-center.js';

export function groupInfo(group: Group, memberCount: number, ctx: HandlerContext, isSelected?: boolean): GroupInfo {
  const info: GroupInfo = {
    GroupName: group.groupName,
    Description: group.description,
    CreateTime: ctx.formatTime(group.createTime),
    GroupType: group.groupType,
    UpdateTime: ctx.formatTime(group.updateTime),
    GroupId: group.groupId,
    MemberCount: memberCount,
  };
  if (isSelected !== undefined) info.IsSelected = isSelected;
  return info;
}

export const groupHandlers: OrganizationHandlers = {
  CreateGroup: async (params, ctx) => {
    const group = await ctx.store.transact((s) =>
      createGroup(
        s,
        requireZone(s, ctx.account, params.ZoneId),
        { groupName: params.GroupName, description: params.Description, groupType: params.GroupType },
        domainContext(ctx),
        'api',
      ),
    );
    return { GroupInfo: groupInfo(group, 0, ctx) };
  },

  GetGroup: (params, ctx) => {
    const { group, count } = ctx.store.read((s) => {
      const zone = requireZone(s, ctx.account, params.ZoneId);
      const found = requireGroup(s, zone.zoneId, params.GroupId);
      return { group: found, count: memberCount(s, found.groupId) };
    });
    return { GroupInfo: groupInfo(group, count, ctx) };
  },

  ListGroups: (params, ctx) => {
    const page = ctx.store.read((s) =>
      listGroups(s, requireZone(s, ctx.account, params.ZoneId), {
        filter: params.Filter,
        groupType: params.GroupType,
        filterUsers: params.FilterUsers,
        sortField: params.SortField,
        sortType: params.SortType,
        page: { maxResults: params.MaxResults, nextToken: params.NextToken, offset: params.Offset },
      }),
    );
    return {
      NextToken: page.nextToken,
      Groups: page.items.map((g) => groupInfo(g.group, g.memberCount, ctx, g.isSelected)),
      MaxResults: page.maxResults,
      TotalCounts: page.totalCounts,
      IsTruncated: page.isTruncated,
    };
  },

  UpdateGroup: async (params, ctx) => {
    const { group, count } = await ctx.store.transact((s) => {
      const zone = requireZone(s, ctx.account, params.ZoneId);
      const changes = { groupName: params.NewGroupName, description: params.NewDescription };
      const updated = updateGroup(s, zone, params.GroupId, changes, domainContext(ctx), 'api');
      return { group: updated, count: memberCount(s, updated.groupId) };
    });
    return { GroupInfo: groupInfo(group, count, ctx) };
  },

  DeleteGroup: async (params, ctx) => {
    await ctx.store.transact((s) => deleteGroup(s, requireZone(s, ctx.account, params.ZoneId), params.GroupId, 'api'));
    return {};
  },

  AddUserToGroup: async (params, ctx) => {
    await ctx.store.transact((s) =>
      addMember(s, requireZone(s, ctx.account, params.ZoneId), params.GroupId, params.UserId, domainContext(ctx), 'api'),
    );
    return {};
  },

  RemoveUserFromGroup: async (params, ctx) => {
    await ctx.store.transact((s) =>
      removeMember(s, requireZone(s, ctx.account, params.ZoneId), params.GroupId, params.UserId, domainContext(ctx), 'api'),
    );
    return {};
  },

  ListGroupMembers: (params, ctx) => {
    const page = ctx.store.read((s) =>
      listGroupMembers(s, requireZone(s, ctx.account, params.ZoneId), params.GroupId, {
        userType: params.UserType,
        page: { maxResults: params.MaxResults, nextToken: params.NextToken },
      }),
    );
    return {
      NextToken: page.nextToken,
      TotalCounts: page.totalCounts,
      MaxResults: page.maxResults,
      IsTruncated: page.isTruncated,
      GroupMembers: page.items.map(({ user, joinTime }) => ({
        UserName: user.userName,
        DisplayName: user.displayName,
        Description: user.description,
        Email: user.email,
        UserStatus: user.userStatus,
        UserType: user.userType,
        UserId: user.userId,
        JoinTime: ctx.formatTime(joinTime),
      })),
    };
  },

  ListJoinedGroupsForUser: (params, ctx) => {
    const page = ctx.store.read((s) =>
      listJoinedGroups(s, requireZone(s, ctx.account, params.ZoneId), params.UserId, {
        maxResults: params.MaxResults,
        nextToken: params.NextToken,
      }),
    );
    return {
      NextToken: page.nextToken,
      TotalCounts: page.totalCounts,
      MaxResults: page.maxResults,
      IsTruncated: page.isTruncated,
      JoinedGroups: page.items.map(({ group, joinTime }) => ({
        GroupName: group.groupName,
        Description: group.description,
        GroupId: group.groupId,
        GroupType: group.groupType,
        JoinTime: ctx.formatTime(joinTime),
      })),
    };
  },
};
