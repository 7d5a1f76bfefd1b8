// Start-up from files written by hand: what a crash, a damaged disk, an older
// or newer emulator, or an editor can leave next to the data file.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTITY_CENTER_STATE, STATE_SCHEMA_VERSION, snapshotOf } from '../../src/domain/schema.js';
import { JournalCorruptError, NewerStateVersionError, StateFormatError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/open-store.js';
import {
  item,
  journalLine,
  openTestStore,
  scratchDir,
  segmentName,
  snapshotText,
  type Scratch,
  type TestStore,
} from '../helpers/store.js';

let scratch: Scratch;
const opened: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  scratch = await scratchDir();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await scratch.remove();
});

async function writeFiles(files: { snapshot?: string | Buffer; segments?: Record<number, string | Buffer>; other?: Record<string, string> }): Promise<void> {
  if (files.snapshot !== undefined) await writeFile(scratch.dataFile, files.snapshot);
  for (const [number, text] of Object.entries(files.segments ?? {})) await writeFile(join(scratch.dir, segmentName(Number(number))), text);
  for (const [name, text] of Object.entries(files.other ?? {})) await writeFile(join(scratch.dir, name), text);
}

async function open(options: { compactMinBytes?: number } = {}) {
  const result = await openTestStore(scratch.dataFile, options);
  opened.push(result.store);
  return result;
}

const ids = (store: TestStore) => Array.from(store.view.items.scan(), (i) => i.id);
const put = (id: string, fields = {}) => ({ c: 'items', put: item(id, fields) });

const SNAPSHOT_A = snapshotText({ schemaVersion: 2, journalSeq: 0, items: [item('a')], notes: [] });
const LINES_B_C = journalLine(1, [put('b')]) + journalLine(2, [put('c'), { c: 'notes', put: { id: 'n', text: 'x' } }]);

/** Opening must fail with `error`, and every file must be exactly as it was. */
async function expectRefusedUntouched(errorClass: new (...args: never[]) => Error): Promise<Error> {
  const before = await scratch.contents();
  const error = await openTestStore(scratch.dataFile).then(
    (result) => {
      opened.push(result.store);
      return null;
    },
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect(await scratch.contents()).toEqual(before);
  return error!;
}

describe('torn last line', () => {
  test.each([
    ['an unfinished JSON line', '{"seq":3,"ops":[{"c":"items","put":{"id":"d","gr'],
    ['a zero-filled block', '\u0000'.repeat(4096)],
    ['a zero-filled line ended by a newline', `${'\u0000'.repeat(512)}\n`],
    ['a complete line without its newline', JSON.stringify({ seq: 3, ops: [put('d')] })],
  ])('%s at the end of the newest segment is dropped and everything before it replays', async (_what, tail) => {
    await writeFiles({ snapshot: SNAPSHOT_A, segments: { 1: LINES_B_C + tail } });
    const { store, replayed, droppedTornLine } = await open();
    expect(ids(store)).toEqual(['a', 'b', 'c']);
    expect(store.view.notes.get('n')).toEqual({ id: 'n', text: 'x' });
    expect({ replayed, droppedTornLine }).toEqual({ replayed: 2, droppedTornLine: true });
    expect(store.lastSeq).toBe(2);
    // Start-up compacted: one snapshot holding it all, the torn line gone for good.
    expect(await scratch.names()).toEqual(['state.json']);
    expect(JSON.parse(await readFile(scratch.dataFile, 'utf8'))).toMatchObject({ journalSeq: 2, items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    // The next change takes the dropped line's sequence number.
    await store.transact(({ items }) => items.put(item('e')));
    expect(store.lastSeq).toBe(3);
  });

  test('replay spans several segments in order', async () => {
    await writeFiles({
      snapshot: SNAPSHOT_A,
      segments: { 1: journalLine(1, [put('b')]), 2: journalLine(2, [put('c')]) + journalLine(3, [{ c: 'items', del: 'a' }]) },
    });
    const { store, replayed, droppedTornLine } = await open();
    expect(ids(store)).toEqual(['b', 'c']);
    expect({ replayed, droppedTornLine }).toEqual({ replayed: 3, droppedTornLine: false });
  });
});

describe('damage other than a torn last line refuses to start and changes no file', () => {
  test('a line that does not parse in the middle of a segment names the file and the line', async () => {
    await writeFiles({
      snapshot: SNAPSHOT_A,
      segments: { 1: `${journalLine(1, [put('b')])}{"seq":2,"ops":[{"c":"items","put":{"id":"c"}}\n${journalLine(3, [put('d')])}` },
    });
    const error = (await expectRefusedUntouched(JournalCorruptError)) as JournalCorruptError;
    expect(error.file).toBe(join(scratch.dir, segmentName(1)));
    expect(error.line).toBe(2);
    expect(error.message).toContain(`${segmentName(1)} is damaged at line 2`);
  });

  test('an incomplete line at the end of a segment that is not the newest', async () => {
    await writeFiles({
      snapshot: SNAPSHOT_A,
      segments: { 1: `${journalLine(1, [put('b')])}{"seq":2,"ops"`, 2: journalLine(2, [put('c')]) },
    });
    const error = (await expectRefusedUntouched(JournalCorruptError)) as JournalCorruptError;
    expect({ file: error.file, line: error.line }).toEqual({ file: join(scratch.dir, segmentName(1)), line: 2 });
  });

  test.each([
    ['an empty line', `${journalLine(1, [put('b')])}\n${journalLine(2, [put('c')])}`, 2],
    ['an op that is neither a put nor a del', `${journalLine(1, [put('b')])}{"seq":2,"ops":[{"c":"items"}]}\n`, 2],
    ['a line without a seq', `{"ops":[]}\n${journalLine(1, [put('b')])}`, 1],
    ['zeros followed by more lines', `${'\u0000'.repeat(64)}\n${journalLine(1, [put('b')])}`, 1],
    ['an op on a collection the schema does not have', `${journalLine(1, [put('b')])}${journalLine(2, [{ c: 'widgets', put: { id: 'w' } }])}`, 2],
  ])('%s', async (_what, text, line) => {
    await writeFiles({ snapshot: SNAPSHOT_A, segments: { 1: text } });
    const error = (await expectRefusedUntouched(JournalCorruptError)) as JournalCorruptError;
    expect(error.line).toBe(line);
  });

  test('a gap in the sequence', async () => {
    await writeFiles({ snapshot: SNAPSHOT_A, segments: { 1: journalLine(1, [put('b')]) + journalLine(3, [put('c')]) } });
    const error = (await expectRefusedUntouched(JournalCorruptError)) as JournalCorruptError;
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/sequence 3 where 2 was due/);
  });

  test('a journal that starts after the snapshot left off', async () => {
    await writeFiles({ snapshot: SNAPSHOT_A, segments: { 1: journalLine(2, [put('b')]) } });
    const error = (await expectRefusedUntouched(JournalCorruptError)) as JournalCorruptError;
    expect(error.message).toMatch(/sequence 2 where 1 was due/);
  });

  test('journal segments without their data file', async () => {
    await writeFiles({ segments: { 1: LINES_B_C } });
    const error = await expectRefusedUntouched(StateFormatError);
    expect(error.message).toMatch(/missing but its journal segments are there/);
  });
});

test('journal entries the snapshot already holds are skipped', async () => {
  // The snapshot was taken at seq 2: replaying 1 and 2 again would bring back records it no longer has.
  await writeFiles({
    snapshot: snapshotText({ schemaVersion: 2, journalSeq: 2, items: [item('a')] }),
    segments: {
      1: journalLine(1, [put('ghost')]),
      2: journalLine(2, [{ c: 'items', del: 'a' }]) + journalLine(3, [put('b')]),
    },
  });
  const { store, replayed } = await open();
  expect(ids(store)).toEqual(['a', 'b']);
  expect(replayed).toBe(1);
  expect(store.lastSeq).toBe(3);
  expect(await scratch.names()).toEqual(['state.json']);
});

describe('data file versions', () => {
  test('a version-1 data file (no journalSeq) loads and is rewritten as version 2', async () => {
    await writeFiles({ snapshot: JSON.stringify({ items: [item('a')], notes: [{ id: 'n1', body: 'old shape' }] }) });
    const { store, seeded } = await open();
    expect(seeded).toBe(false);
    expect(store.view.notes.get('n1')).toEqual({ id: 'n1', text: 'old shape' });
    expect(JSON.parse(await readFile(scratch.dataFile, 'utf8'))).toEqual({
      schemaVersion: 2,
      journalSeq: 0,
      items: [item('a')],
      notes: [{ id: 'n1', text: 'old shape' }],
      events: [],
    });
  });

  test('a version-1 Identity Center data file is upgraded to the current version: sequence numbers on the SCIM request log (2), empty SAML collections (3)', async () => {
    const log = ['/Users', '/Groups'].map((path) => ({
      time: '2026-01-01T00:00:00.000Z',
      zoneId: 'z-1',
      credentialId: 'scimcred-1',
      method: 'GET',
      path,
      status: 200,
    }));
    await writeFiles({ snapshot: JSON.stringify({ schemaVersion: 1, scimRequestLog: log }) });
    const { store } = await openStore({ definition: IDENTITY_CENTER_STATE, dataFile: scratch.dataFile, fixtures: snapshotOf({}), now: new Date() });
    opened.push(store);
    expect(store.dump().scimRequestLog.map((r) => [r.seq, r.path])).toEqual([
      [1, '/Users'],
      [2, '/Groups'],
    ]);
    const doc = JSON.parse(await readFile(scratch.dataFile, 'utf8')) as { schemaVersion: number; scimRequestLog: { seq: number }[] };
    expect(doc.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    expect(STATE_SCHEMA_VERSION).toBe(3);
    expect(doc.scimRequestLog.map((r) => r.seq)).toEqual([1, 2]);
    expect(store.dump().samlIdentityProviders).toEqual([]);
  });

  test('a version-2 Identity Center data file keeps its SCIM request log sequence numbers as they are', async () => {
    const log = [7, 9].map((seq) => ({ seq, time: '2026-01-01T00:00:00.000Z', zoneId: 'z-1', credentialId: 'scimcred-1', method: 'GET', path: '/Users', status: 200 }));
    await writeFiles({ snapshot: JSON.stringify({ schemaVersion: 2, journalSeq: 0, scimRequestLog: log }) });
    const { store } = await openStore({ definition: IDENTITY_CENTER_STATE, dataFile: scratch.dataFile, fixtures: snapshotOf({}), now: new Date() });
    opened.push(store);
    expect(store.dump().scimRequestLog.map((r) => r.seq)).toEqual([7, 9]);
  });

  test.each([
    ['99', '99'],
    ['1e400 (Infinity once parsed)', '1e400'],
  ])('a data file with schemaVersion %s is refused as newer, and neither it nor its journal is touched', async (_what, version) => {
    await writeFiles({ snapshot: `{"schemaVersion": ${version}, "journalSeq": 0, "items": []}\n`, segments: { 1: LINES_B_C } });
    const error = await expectRefusedUntouched(NewerStateVersionError);
    expect(error.message).toMatch(/newer than this emulator's 2/);
  });

  test('a data file with a UTF-8 byte-order mark loads', async () => {
    await writeFiles({ snapshot: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SNAPSHOT_A)]), segments: { 1: journalLine(1, [put('b')]) } });
    const { store, seeded, quarantinedTo } = await open();
    expect({ seeded, quarantinedTo }).toEqual({ seeded: false, quarantinedTo: null });
    expect(ids(store)).toEqual(['a', 'b']);
  });
});

describe('an unreadable data file', () => {
  test.each([
    ['not JSON', '{"schemaVersion": 2, "items": [ {"id":'],
    ['JSON of the wrong shape', '{"schemaVersion": 2, "items": {"id": "a"}}'],
    ['a collection the schema does not know', '{"schemaVersion": 2, "widgets": []}'],
  ])('(%s) is moved aside with --reset-damaged-data, with its journal, byte for byte, and the store starts from the fixtures', async (_what, text) => {
    const segment = `${LINES_B_C}garbage`;
    await writeFiles({ snapshot: text, segments: { 1: segment, 2: journalLine(3, [put('x')]) } });
    const fixtures = { schemaVersion: 2, journalSeq: 0, collections: [['items', [item('seed')]] as const] };
    const result = await openTestStore(scratch.dataFile, { fixtures, resetDamagedData: true });
    opened.push(result.store);
    const suffix = '.corrupt-2026-03-01T00-00-00-000Z';
    expect(result.quarantinedTo).toBe(`${scratch.dataFile}${suffix}`);
    expect(result.seeded).toBe(true);
    expect(ids(result.store)).toEqual(['seed']);
    expect(await scratch.names()).toEqual(['state.json', `state.json${suffix}`, `${segmentName(1)}${suffix}`, `${segmentName(2)}${suffix}`].sort());
    const files = await scratch.contents();
    expect(files.get(`state.json${suffix}`)!.toString()).toBe(text);
    expect(files.get(`${segmentName(1)}${suffix}`)!.toString()).toBe(segment);
  });
});

test("stale snapshot temp files (<data>.<pid>.tmp) are removed at start, and nobody else's files", async () => {
  await writeFiles({
    snapshot: SNAPSHOT_A,
    other: { 'state.json.12345.tmp': '{"half": ', 'state.json.1.tmp': '', 'state.json.abc.tmp': 'keep', 'other.json.77.tmp': 'keep', 'state.json.12345.tmp.bak': 'keep' },
  });
  const { store } = await open();
  expect(ids(store)).toEqual(['a']);
  expect(await scratch.names()).toEqual(['other.json.77.tmp', 'state.json', 'state.json.12345.tmp.bak', 'state.json.abc.tmp']);
});
