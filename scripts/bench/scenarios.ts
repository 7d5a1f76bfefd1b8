import { apiCheck, statusCheck, type LoadSpec, type RequestSpec } from './load.js';
import { signedApiHeaders } from './tc3.js';
import { expecting } from './wrk.js';

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
  /** Its answers are large: also compare it with a bare server sending the same bytes. */
  sameBodyBaseline?: boolean;
  load(target: Target): Pick<LoadSpec, 'source' | 'check'>;
}

/**
 * The fewest users at which a scenario's answer has its full size: (f) lists
 * a page of 100, which at 0 users is an empty list of 0.1 kB instead of
 * 32 kB. Comparing its 100,000-user run with a 0-user one would measure the
 * size of the answer, not the size of the state; the targets compare it with
 * the smallest measured zone that fills a page.
 */
export const FULL_ANSWER_FROM: Partial<Record<ScenarioId, number>> = { f: 100 };

/** Re-signing once a second keeps every timestamp well inside strict mode's five-minute window. */
const RESIGN_EVERY_MS = 1000;
/**
 * (e) cycles through at most this many userNames, spread evenly over the
 * zone: every look-up still goes through the index, and the load generator
 * does not hold 100,000 prepared requests. autocannon serialises the list for
 * each connection as it opens it; with 1,024 names that kept the generator
 * busy long enough to show as a ~250 ms "max" latency at the start of every
 * run (with 256: ~75 ms).
 */
const LOOKUP_NAMES = 256;

const signedPost = (host: string, action: string, params: object): RequestSpec => {
  const body = JSON.stringify(params);
  return { method: 'POST', path: '/', headers: signedApiHeaders(action, body, host), body };
};

/**
 * The same signed POST for every request, signed again every second: the
 * server still verifies a valid signature on each request (strict mode), but
 * the load generator no longer spends ~85 µs signing each one.
 */
const presigned = (host: string, action: string, params: object): LoadSpec['source'] => ({
  kind: 'fixed',
  build: () => [signedPost(host, action, params)],
  refreshMs: RESIGN_EVERY_MS,
});

/** Up to `max` items spread evenly over `all`, first one included. */
export function spreadSample<T>(all: readonly T[], max: number): T[] {
  if (all.length <= max) return [...all];
  return Array.from({ length: max }, (_, i) => all[Math.floor((i * all.length) / max)]!);
}

const listScimCredentials = (t: Target): Pick<LoadSpec, 'source' | 'check'> => ({
  source: presigned(t.host, 'ListSCIMCredentials', { ZoneId: t.zoneId }),
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
      sameBodyBaseline: true,
      load: (t) => ({ source: presigned(t.host, 'ListUsers', { ZoneId: t.zoneId, MaxResults: 100 }), check: apiCheck }),
    },
    {
      id: 'e',
      title: 'SCIM GET /Users?filter=userName eq "…"',
      kind: 'read',
      needsUsers: true,
      load: (t) => ({
        // A bearer token needs no signing: the list is built once.
        source: {
          kind: 'fixed',
          build: () =>
            spreadSample(t.userNames, LOOKUP_NAMES).map((name) => ({
              method: 'GET',
              path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`,
              headers: { Authorization: `Bearer ${t.scimToken}` },
            })),
        },
        // Exactly one match, or the look-up is not doing the work it claims.
        check: expecting({ status: 200, includes: '"totalResults":1' }, (status, body) => (status !== 200 ? `HTTP ${status} ${body.slice(0, 200)}` : `no single match: ${body.slice(0, 200)}`)),
      }),
    },
    {
      id: 'c',
      title: 'UpdateUser (durable write), rotating over the users',
      kind: 'write',
      needsUsers: true,
      load: (t) => ({
        // Each update must change something (an unchanged user is not written), so each is signed afresh.
        source: {
          kind: 'dynamic',
          next: () => {
            const n = updates++;
            return signedPost(t.host, 'UpdateUser', { ZoneId: t.zoneId, UserId: t.userIds[n % t.userIds.length]!, NewDescription: `bench update ${n}` });
          },
        },
        check: apiCheck,
      }),
    },
    {
      id: 'd',
      title: 'SCIM POST /Users (durable write), a new userName each',
      kind: 'write',
      needsUsers: false,
      load: (t) => ({
        source: {
          kind: 'dynamic',
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
        },
        check: statusCheck(201),
      }),
    },
  ];
}
