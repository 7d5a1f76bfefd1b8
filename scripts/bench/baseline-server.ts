/**
 * The benchmark's baseline: a bare node:http server that reads each request and
 * answers with a fixed small JSON body. What it manages on this machine is the
 * ceiling for any Node HTTP server here, so the emulator is reported against it.
 *
 * Given a file, it answers with that file's bytes instead: the same-body
 * baseline, for a scenario whose answers are large (a page of 100 users),
 * where sending and parsing the bytes is itself much of the cost.
 *
 *   node dist/scripts/bench/baseline-server.js [port [body-file]]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY =
  process.argv[3] === undefined
    ? Buffer.from(JSON.stringify({ Response: { TotalCounts: 0, SCIMCredentials: [], RequestId: '00000000-0000-4000-8000-000000000000' } }))
    : readFileSync(process.argv[3]);

const server = createServer((req, res) => {
  // Read the body like a real server must before answering.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
