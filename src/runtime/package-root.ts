import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding this package's package.json, whether the code runs from
 * src/ (tests) or dist/src/ (the built CLI): schemas/ and fixtures/ live there.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'tencentcloud-emulator') return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the tencentcloud-emulator package root');
    dir = parent;
  }
}

export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

let cachedVersion: string | undefined;

/** This package's version, from its package.json. */
export function packageVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}
