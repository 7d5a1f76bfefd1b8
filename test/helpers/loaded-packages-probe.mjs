// Loaded into a child emulator with `node --import`: on SIGUSR2 it writes the
// npm packages loaded so far (CommonJS module cache) to stderr as one line,
// `LOADED-PACKAGES ["express", ...]`, for the start-up cost tests.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
process.on('SIGUSR2', () => {
  const { _cache: cache } = require('node:module');
  const packages = new Set();
  for (const file of Object.keys(cache)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) packages.add(match[1].replace('\\', '/'));
  }
  process.stderr.write(`LOADED-PACKAGES ${JSON.stringify([...packages].sort())}\n`);
});
