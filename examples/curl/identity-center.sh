#!/usr/bin/env bash
# Identity Center over plain HTTP with curl: a user, a group, a membership, the
# listings, then everything removed again (so the script can be run any number
# of times). Needs curl and node (to read fields out of the JSON answers).
#
#   ./identity-center.sh                            # against http://127.0.0.1:9000
#   TCE_ENDPOINT=http://127.0.0.1:9100 ./identity-center.sh
#
# Requests are unsigned (Authorization: SKIP), which the emulator accepts in its
# default permissive auth mode only.
set -euo pipefail

ENDPOINT="${TCE_ENDPOINT:-http://127.0.0.1:9000}"
ZONE="${TCE_ZONE:-z-emulatordemo}"

# call <Action> <JSON parameters>: prints the Response object; exits on an error envelope.
call() {
  local answer
  answer=$(curl -sS "$ENDPOINT/" -H 'Content-Type: application/json' -H 'Authorization: SKIP' \
    -H "X-TC-Action: $1" -H 'X-TC-Version: 2021-03-31' -d "$2")
  node -e '
    const { Response } = JSON.parse(process.argv[1]);
    if (Response.Error) { console.error(`${process.argv[2]}: ${Response.Error.Code}: ${Response.Error.Message}`); process.exit(1); }
    console.log(JSON.stringify(Response));' "$answer" "$1"
}

# field <JSON> <path>: one field of a JSON document, e.g. field "$json" UserInfo.UserId
field() {
  node -e 'console.log(process.argv[2].split(".").reduce((o, k) => o[k], JSON.parse(process.argv[1])))' "$1" "$2"
}

echo "== zone"
call DescribeIdentityCenter '{}'

echo "== a user and a group"
USER_ID=$(field "$(call CreateUser "{\"ZoneId\": \"$ZONE\", \"UserName\": \"curl-example-user\", \"Email\": \"curl-example@example.com\"}")" UserInfo.UserId)
GROUP_ID=$(field "$(call CreateGroup "{\"ZoneId\": \"$ZONE\", \"GroupName\": \"curl-example-group\"}")" GroupInfo.GroupId)
echo "user $USER_ID, group $GROUP_ID"
call AddUserToGroup "{\"ZoneId\": \"$ZONE\", \"GroupId\": \"$GROUP_ID\", \"UserId\": \"$USER_ID\"}"

echo "== listings"
call ListGroupMembers "{\"ZoneId\": \"$ZONE\", \"GroupId\": \"$GROUP_ID\"}"
call ListJoinedGroupsForUser "{\"ZoneId\": \"$ZONE\", \"UserId\": \"$USER_ID\"}"
call GetZoneStatistics "{\"ZoneId\": \"$ZONE\"}"

echo "== clean up"
call RemoveUserFromGroup "{\"ZoneId\": \"$ZONE\", \"GroupId\": \"$GROUP_ID\", \"UserId\": \"$USER_ID\"}"
call DeleteGroup "{\"ZoneId\": \"$ZONE\", \"GroupId\": \"$GROUP_ID\"}"
call DeleteUser "{\"ZoneId\": \"$ZONE\", \"UserId\": \"$USER_ID\"}"
echo "done"
