#!/usr/bin/env node
import { CommanderError } from 'commander';
import { start } from './app.js';
import { configFromArgs, type EmulatorConfig } from './config.js';
import { FixturesError } from './store/open-store.js';
import { DataFileAccessError, FinalSnapshotError, InvalidRecordError, JournalAccessError, JournalCorruptError, NewerStateVersionError, StateFormatError } from './store/errors.js';
import { DataFileLockedError } from './store/lock.js';
import { capYoungGeneration, youngGenerationConfigured } from './runtime/young-generation.js';

function banner(url: string, publicUrl: string, config: EmulatorConfig, seeded: string): string {
  return [
    `tencentcloud-emulator listening on ${url}`,
    `  API 3.0 endpoint : ${url}/  (Organization 2021-03-31)`,
    `  SCIM 2.0 base    : ${url}/scim/v2  (Bearer = a SCIM key's CredentialSecret)`,
    `  SAML sign-in     : ${publicUrl}/saml/sp/<ZoneId>/  (metadata, login, acs)`,
    `  data             : ${config.dataFile ?? 'in memory (nothing is written)'}${seeded}`,
    `  auth             : ${config.auth}`,
    `  dashboard        : ${url}/_emulator/ui`,
    `  control plane    : ${url}/_emulator  (${config.controlToken ? 'loopback, or anyone with the control token' : 'loopback clients only'})`,
    ...(config.seed !== null || config.clock !== null || config.rateLimits
      ? [
          `  mode             : ${[
            config.seed !== null ? `seed ${config.seed}` : null,
            config.clock !== null ? `clock frozen at ${config.clock}` : null,
            config.rateLimits ? 'rate limits emulated' : null,
          ]
            .filter((part) => part !== null)
            .join(', ')}`,
        ]
      : []),
    '',
    '  Node SDK:',
    `    const client = new organization.v20210331.Client({`,
    `      credential: { secretId: 'AKIDEMULATORDEMO00000000000000000001', secretKey: 'EmulatorDemoSecretKey000000000001' },`,
    `      region: 'ap-guangzhou',`,
    `      profile: { httpProfile: { endpoint: '${url.replace(/^http:\/\//, '')}', protocol: 'http://' } },`,
    `    });`,
    `    await client.DescribeIdentityCenter({});`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let config: EmulatorConfig;
  try {
    config = configFromArgs(process.argv.slice(2));
  } catch (error) {
    // commander already printed usage or help.
    process.exit(error instanceof CommanderError ? error.exitCode : 2);
  }
  // The emulator's own process: V8 settings are the CLI's to choose, unless Node was given its own.
  if (!youngGenerationConfigured()) capYoungGeneration();
  const emulator = await start(config);
  const seeded = emulator.quarantinedTo ? ` (started from the fixtures: the damaged file was moved to ${emulator.quarantinedTo})` : '';
  process.stdout.write(banner(emulator.url, emulator.publicUrl(), emulator.config, seeded));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Impatient: leave now. Every acknowledged change is already in the journal; start-up replays it.
      emulator.logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
    stopping = true;
    emulator.logger.info({ signal }, 'shutting down: answering requests in flight, then flushing the store');
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        // Not a clean stop, so not exit 0; a FinalSnapshotError says itself that nothing is lost.
        const message = error instanceof FinalSnapshotError ? error.message : `shutdown failed: ${(error as Error).message}`;
        process.stderr.write(`tencentcloud-emulator: ${message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const known = [FixturesError, NewerStateVersionError, JournalAccessError, DataFileAccessError, DataFileLockedError].some((type) => error instanceof type);
  // What --reset-damaged-data would move aside (FixturesError wraps the same checks, but fixtures are never moved).
  const damaged = !(error instanceof FixturesError) && [JournalCorruptError, StateFormatError, InvalidRecordError].some((type) => error instanceof type);
  const { code, syscall } = error as NodeJS.ErrnoException;
  // Only the listening socket's errors are about --host and --port: a file's EACCES is not.
  const listening = syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo';
  if (known) process.stderr.write(`tencentcloud-emulator: ${(error as Error).message}\n`);
  else if (damaged) {
    process.stderr.write(`tencentcloud-emulator: ${(error as Error).message} (--reset-damaged-data would move the damaged files aside and start from the fixtures)\n`);
  } else if (!listening) process.stderr.write(`tencentcloud-emulator: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  else if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EACCES' || code === 'EAI_AGAIN' || code === 'EINVAL') {
    process.stderr.write(`tencentcloud-emulator: cannot listen there (${code}: ${(error as Error).message}); check --host and --port\n`);
  } else if (code === 'EADDRINUSE') process.stderr.write(`tencentcloud-emulator: the port is already in use (${(error as Error).message}); choose another with --port\n`);
  else process.stderr.write(`tencentcloud-emulator: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
