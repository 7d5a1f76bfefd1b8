import { ApiError } from '../../src/errors/api-error.js';
import { scimErrorOf } from '../../src/scim/respond.js';

describe('domain errors map to SCIM statuses by an explicit table', () => {
  test.each([
    ['usernameTaken', 409, 'uniqueness'],
    ['groupNameTaken', 409, 'uniqueness'],
    ['userNotFound', 404, undefined],
    ['groupNotFound', 404, undefined],
    ['usernameFormat', 400, 'invalidValue'],
    ['userQuotaReached', 400, undefined],
    ['groupMemberQuotaReached', 400, undefined],
    // "AlreadyExists" in its code, yet not a uniqueness conflict: the user is still in a group.
    ['userStillInGroups', 400, 'mutability'],
    ['storeWriteFailed', 500, undefined],
  ] as const)('%s -> %i %s', (key, status, scimType) => {
    const error = scimErrorOf(new ApiError(key, { zoneId: 'z', userId: 'u', userName: 'n', groupName: 'g', groupId: 'g', limit: 1, count: 1 }));
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
  });
});
