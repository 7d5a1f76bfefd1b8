/** The two command-line tools the SAML tests lean on (openssl, xmlsec1), run in throw-away directories. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a CLI tool in a fresh temp directory that is removed afterwards. */
export function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tce-saml-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `command` and returns stdout; on failure the error carries stderr, so a test failure says why. */
export function runTool(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error(`${command} is not installed (Debian: apt-get install ${command === 'xmlsec1' ? 'xmlsec1' : 'openssl'})`);
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}


/**
 * Whether xmlsec1 runs here. CI installs it (.ci/run) and must not pass
 * without it; elsewhere the xmlsec1-signed cases are left out, saying so, as
 * the dashboard test does without chromium.
 */
export const HAVE_XMLSEC1: boolean = (() => {
  try {
    execFileSync('xmlsec1', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('xmlsec1 is not installed; CI needs it for the SAML tests (apt-get install -y xmlsec1)');
    console.warn('SAML tests signed by xmlsec1 SKIPPED: xmlsec1 is not installed (apt-get install -y xmlsec1); xml-crypto-signed cases still run');
    return false;
  }
})();
