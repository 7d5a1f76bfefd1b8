import { callApi } from './http-client.js';

export interface SeededUsers {
  userIds: string[];
  userNames: string[];
}

export interface SeedResult extends SeededUsers {
  requested: number;
  seconds: number;
  perSecond: number;
  /** Why seeding stopped before `requested` users; null when all were made. */
  stoppedBy: string | null;
}

export interface SeedOptions {
  /** Requests in flight at once: the store can fold concurrent writes into one. */
  concurrency: number;
  /** Give up after this long; a size that cannot be seeded in time is skipped. */
  budgetMs: number;
  /** Per request; a write that takes longer means the emulator is stuck. */
  requestTimeoutMs: number;
  /** Names start here, so a later batch does not collide with an earlier one. */
  firstIndex?: number;
  /** Progress lines go here (every few seconds). */
  log: (line: string) => void;
}

export const userNameFor = (i: number) => `bench-user-${i}`;

/**
 * Creates `count` users in `zoneId` through the emulator's own API (CreateUser,
 * as a client would), many requests in flight over keep-alive connections.
 * Stops at the first failure or when the budget is spent, and says which.
 */
export async function seedUsers(base: string, zoneId: string, count: number, options: SeedOptions): Promise<SeedResult> {
  const first = options.firstIndex ?? 0;
  const userIds: string[] = [];
  const userNames: string[] = [];
  const started = performance.now();
  const deadline = started + options.budgetMs;
  let next = 0;
  let stoppedBy: string | null = null;

  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    options.log(`  seeding: ${userIds.length}/${count} users after ${seconds.toFixed(0)} s (${(userIds.length / seconds).toFixed(0)}/s)`);
  }, 5_000);

  const worker = async (): Promise<void> => {
    while (stoppedBy === null && next < count) {
      if (performance.now() > deadline) {
        stoppedBy = `seeding budget of ${(options.budgetMs / 1000).toFixed(0)} s spent (BENCH_SEED_BUDGET)`;
        return;
      }
      const i = first + next++;
      const name = userNameFor(i);
      try {
        const response = await callApi(
          base,
          'CreateUser',
          { ZoneId: zoneId, UserName: name, FirstName: 'Bench', LastName: `User${i}`, Email: `${name}@example.com`, Description: 'seeded by npm run bench' },
          options.requestTimeoutMs,
        );
        userIds.push(String((response.UserInfo as { UserId: string }).UserId));
        userNames.push(name);
      } catch (error) {
        stoppedBy ??= `CreateUser failed: ${(error as Error).message}`;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker));
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  return { requested: count, userIds, userNames, seconds, perSecond: seconds > 0 ? userIds.length / seconds : 0, stoppedBy };
}
