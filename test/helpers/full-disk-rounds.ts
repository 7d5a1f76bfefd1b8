// The emulator CLI on a small disk that fills, empties and fills again, killed
// with SIGKILL and restarted: after every restart each acknowledged CreateUser
// is there and no refused one is. Used by test/store/full-disk.test.ts (a
// couple of fixed rounds) and test/soak (many random ones).
import { Agent } from 'node:http';
import { join } from 'node:path';
import { callApi, listUserNames, startCli, type CliProcess } from './cli-process.js';
import type { SmallDisk } from './full-disk.js';

const ZONE = 'z-emulatordemo';
/** Long enough that a line crosses a page boundary of the disk now and then (where a full disk cuts a write short). */
const DESCRIPTION = 'd'.repeat(200);

/** What the clients were told, by user name. */
export class Ledger {
  readonly acked = new Set<string>();
  readonly refused = new Set<string>();
  private next = 0;

  name(): string {
    return `u${this.next++}`;
  }
}

/** Creates users one after another (or `parallel` at a time) until `refusals` were refused or `max` attempts made. */
export async function createUsers(cli: CliProcess, ledger: Ledger, options: { max: number; refusals?: number; parallel?: number }): Promise<{ acked: number; refused: number }> {
  const agent = new Agent({ keepAlive: true });
  let acked = 0;
  let refused = 0;
  let attempts = 0;
  const worker = async () => {
    while (attempts < options.max && refused < (options.refusals ?? Number.POSITIVE_INFINITY)) {
      attempts += 1;
      const name = ledger.name();
      const outcome = await callApi(agent, cli.url, 'CreateUser', { ZoneId: ZONE, UserName: name, Description: DESCRIPTION });
      if (outcome.kind === 'network') return; // killed meanwhile: this one may or may not have been saved
      if (outcome.code === 'Success') {
        ledger.acked.add(name);
        acked += 1;
      } else if (outcome.code === 'InternalError') {
        ledger.refused.add(name);
        refused += 1;
      } else {
        throw new Error(`CreateUser ${name} answered ${outcome.code}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker));
  } finally {
    agent.destroy();
  }
  return { acked, refused };
}

export function dataFileOn(disk: SmallDisk): string {
  return join(disk.dir, 'state.json');
}

export function startOn(disk: SmallDisk): Promise<CliProcess> {
  return startCli(dataFileOn(disk), ['--max-users-per-zone', '1000000']);
}

/** SIGKILL, and wait until the process is gone. */
export async function kill(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGKILL');
  await cli.exit;
}

/** Restarts on the disk (which must have room again) and checks the ledger against what the emulator holds. */
export async function restartAndCheck(disk: SmallDisk, ledger: Ledger): Promise<CliProcess> {
  const cli = await startOn(disk);
  const stored = await listUserNames(cli.url, ZONE);
  expect({ lost: [...ledger.acked].filter((n) => !stored.has(n)) }).toEqual({ lost: [] });
  expect({ savedThoughRefused: [...ledger.refused].filter((n) => stored.has(n)) }).toEqual({ savedThoughRefused: [] });
  return cli;
}

export interface Round {
  /** Refusals to collect while the disk is full (at least one must come). */
  refusals: number;
  /** Kill while the disk is still full (else after freeing it and writing again). */
  killWhileFull: boolean;
  /** Concurrent writers. */
  parallel: number;
}

/**
 * One round on a running emulator: fill the disk, write until refused, free
 * it, write again (this must work without a restart), fill and write again,
 * then SIGKILL (while full, or after freeing it), free the disk, restart and
 * check. Returns the restarted emulator.
 */
export async function fullDiskRound(disk: SmallDisk, cli: CliProcess, ledger: Ledger, round: Round): Promise<CliProcess> {
  disk.fill();
  const full = await createUsers(cli, ledger, { max: 400, refusals: round.refusals, parallel: round.parallel });
  expect(full.refused).toBeGreaterThan(0);
  disk.free();
  // Space is back: writes are accepted again, by the same process.
  const freed = await createUsers(cli, ledger, { max: 3 });
  expect(freed).toEqual({ acked: 3, refused: 0 });
  disk.fill();
  await createUsers(cli, ledger, { max: 400, refusals: round.refusals, parallel: round.parallel });
  if (round.killWhileFull) {
    await kill(cli);
    disk.free();
  } else {
    disk.free();
    await createUsers(cli, ledger, { max: 3, parallel: round.parallel });
    await kill(cli);
  }
  return restartAndCheck(disk, ledger);
}
