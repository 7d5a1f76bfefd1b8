/**
 * `npm ci` installs exactly what package-lock.json says and refuses a lock that
 * is out of step with package.json or misses a package some locked package
 * needs (a lock written by `npm install` over an old node_modules can miss
 * optional, platform-specific packages: `npm ci` then fails on a clean clone).
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../src/runtime/package-root.js';

interface LockedPackage {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
}

const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as LockedPackage & { name: string; version: string };
const lock = JSON.parse(readFileSync(packagePath('package-lock.json'), 'utf8')) as Lock & { name: string; version: string };

/** Where npm would find `name` for the package installed at `at` (node_modules lookup, innermost first). */
function resolves(at: string, name: string): boolean {
  let dir = at;
  for (;;) {
    if (lock.packages[`${dir === '' ? '' : `${dir}/`}node_modules/${name}`]) return true;
    if (dir === '') return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

test('the lock is for this package and lists exactly its dependencies', () => {
  expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
  expect({ name: lock.name, version: lock.version }).toEqual({ name: manifest.name, version: manifest.version });
  const root = lock.packages[''];
  expect(root?.dependencies).toEqual(manifest.dependencies);
  expect(root?.devDependencies).toEqual(manifest.devDependencies);
});

test('every package a locked package depends on (optional and peer ones included) is in the lock', () => {
  const missing: string[] = [];
  for (const [at, pkg] of Object.entries(lock.packages)) {
    if (pkg.link) continue;
    const needed = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => !pkg.peerDependenciesMeta?.[n]?.optional),
      ...(at === '' ? Object.keys(pkg.devDependencies ?? {}) : []),
    ];
    for (const name of needed) if (!resolves(at, name)) missing.push(`${at || '(root)'} -> ${name}`);
  }
  expect(missing).toEqual([]);
});
