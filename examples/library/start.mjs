import { start } from 'tencentcloud-emulator';

const emulator = await start({ port: 0, dataFile: null, auth: 'strict', logLevel: 'silent' });
console.log(emulator.url); // http://127.0.0.1:<free port>
const health = await fetch(`${emulator.url}/_emulator/health`);
console.log(await health.json()); // { status: 'ok', version: '0.1.0', store: 'in memory', memory: { rss: …, heapUsed: … } }
// ... point an SDK at it: endpoint `127.0.0.1:${emulator.port}`, protocol 'http://' ...
await emulator.close();
