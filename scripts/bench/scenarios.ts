import { apiCheck, statusCheck, type LoadSpec } from './load.js';
import { signedApiHeaders } from './tc3.js';

export const DEMO_ZONE = 'z-emulatordemo';

export type ScenarioId = 'baseline' | 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
export type ScenarioKind = 'baseline' | 'read' | 'strict' | 'write';

/** What a scenario needs from the emulator it runs against. */
export interface Target {
  /** host:port as it goes on the wire (the TC3 signature covers it). */
  host: string;
  zoneId: string;
  userIds: readonly string[];
  userNames: readonly string[];
  scimToken: string;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  kind: ScenarioKind;
  /** Rotates over existing users: cannot run in an empty zone. */
  needsUsers: boolean;
  load(target: Target): Pick<LoadSpec, 'next' | 'check'>;
}

/** A TC3-signed POST, signed afresh for every request so the timestamp stays inside strict mode's window. */
function signedPost(host: string, action: string, params: () => object): LoadSpec['next'] {
  return () => {
    const body = JSON.stringify(params());
    return { method: 'POST', path: '/', headers: signedApiHeaders(action, body, host), body };
  };
}

const listScimCredentials = (t: Target) => ({
  next: signedPost(t.host, 'ListSCIMCredentials', () => ({ ZoneId: t.zoneId })),
  check: apiCheck,
});

/** Same request shape as (a), to a server that answers everything with a fixed body. */
export const BASELINE: Scenario = {
  id: 'baseline',
  title: 'bare node:http server, same signed POST as (a)',
  kind: 'baseline',
  needsUsers: false,
  load: (t) => ({ ...listScimCredentials(t), check: statusCheck(200) }),
};

export const STRICT: Scenario = {
  id: 'b',
  title: 'ListSCIMCredentials, TC3 verified (--auth strict)',
  kind: 'strict',
  needsUsers: false,
  load: listScimCredentials,
};

/** Per emulator size, in this order: reads first, then the writes, which grow the zone. */
export function sizedScenarios(): Scenario[] {
  let updates = 0;
  let creates = 0;
  let lookups = 0;
  return [
    {
      id: 'a',
      title: 'ListSCIMCredentials, TC3 signed (--auth permissive)',
      kind: 'read',
      needsUsers: false,
      load: listScimCredentials,
    },
    {
      id: 'f',
      title: 'ListUsers, MaxResults 100',
      kind: 'read',
      needsUsers: false,
      load: (t) => ({ next: signedPost(t.host, 'ListUsers', () => ({ ZoneId: t.zoneId, MaxResults: 100 })), check: apiCheck }),
    },
    {
      id: 'e',
      title: 'SCIM GET /Users?filter=userName eq "…"',
      kind: 'read',
      needsUsers: true,
      load: (t) => ({
        next: () => {
          const name = t.userNames[lookups++ % t.userNames.length]!;
          return {
            method: 'GET',
            path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`,
            headers: { Authorization: `Bearer ${t.scimToken}` },
          };
        },
        // Exactly one match, or the look-up is not doing the work it claims.
        check: (status, body) => (status !== 200 ? `HTTP ${status} ${body.slice(0, 200)}` : body.includes('"totalResults":1') ? null : `no single match: ${body.slice(0, 200)}`),
      }),
    },
    {
      id: 'c',
      title: 'UpdateUser (durable write), rotating over the users',
      kind: 'write',
      needsUsers: true,
      load: (t) => ({
        next: signedPost(t.host, 'UpdateUser', () => {
          const n = updates++;
          return { ZoneId: t.zoneId, UserId: t.userIds[n % t.userIds.length]!, NewDescription: `bench update ${n}` };
        }),
        check: apiCheck,
      }),
    },
    {
      id: 'd',
      title: 'SCIM POST /Users (durable write), a new userName each',
      kind: 'write',
      needsUsers: false,
      load: (t) => ({
        next: () => {
          const userName = `bench-scim-${creates++}@example.com`;
          return {
            method: 'POST',
            path: '/scim/v2/Users',
            headers: { Authorization: `Bearer ${t.scimToken}`, 'Content-Type': 'application/scim+json' },
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
              userName,
              name: { givenName: 'Bench', familyName: 'Scim' },
              emails: [{ value: userName, type: 'work', primary: true }],
              active: true,
            }),
          };
        },
        check: statusCheck(201),
      }),
    },
  ];
}
