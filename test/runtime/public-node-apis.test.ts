/**
 * The emulator uses public Node APIs only: no reaching into Node's HTTP parser
 * or sockets' private fields, no V8 flags changed at run time. A young-generation
 * size, if wanted, is set where Node starts (NODE_OPTIONS in the Dockerfile).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../../src/runtime/package-root.js';

const SRC = packagePath('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** What reaching into Node or V8 looks like in source. */
const INTERNALS: ReadonlyArray<readonly [string, RegExp]> = [
  ['v8.setFlagsFromString', /setFlagsFromString/],
  ["Node's internal HTTP module", /_http_(?:common|server|incoming|outgoing)/],
  ["a socket's parser", /\.parser\b|\bparser\s*\[|onParserExecute|getCurrentBuffer|_consumed/],
  ["a socket's or response's private fields", /\._(?:httpMessage|handle|header\b|headerSent|writableState|readableState|events)/],
  ['internal bindings', /process\.binding|internalBinding|--expose-internals/],
];

test('no file in src/ reaches into Node or V8 internals', () => {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const [what, pattern] of INTERNALS) if (pattern.test(text)) found.push(`${relative(SRC, file)}: ${what}`);
  }
  expect(found).toEqual([]);
});

test('the container image sets its young-generation size where Node starts, through NODE_OPTIONS', () => {
  const dockerfile = readFileSync(packagePath('Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^(?:ENV\s+|\s+)NODE_OPTIONS=--max-semi-space-size=\d+\b/m);
});
