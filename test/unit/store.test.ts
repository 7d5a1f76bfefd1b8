import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../src/errors/api-error.js';
import { JsonMemoryAdapter, type SnapshotAdapter } from '../../src/store/adapters.js';
import { NewerStateVersionError } from '../../src/store/load-state.js';
import { openStore } from '../../src/store/open-store.js';
import { emptyState, STATE_SCHEMA_VERSION, type State } from '../../src/store/state.js';
import { Store } from '../../src/store/store.js';
import { testFixtures } from '../helpers/api.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tce-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const now = new Date('2026-03-01T00:00:00Z');
const addAccount = (uin: string) => (s: State) => {
  s.accounts.push({ uin, appId: 1, name: uin, secretId: `id-${uin}`, secretKey: 'k' });
};

/** An adapter whose writes can be made to fail, standing for a full disk. */
class FlakyAdapter extends JsonMemoryAdapter {
  failWrites = false;
  writes = 0;
  override async write(data: State): Promise<void> {
    this.writes += 1;
    const text = JSON.stringify(data);
    this.startedText = text;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failWrites) throw new Error('ENOSPC: no space left on device');
    this.durableText = text;
  }
}

async function storeOn(adapter: SnapshotAdapter, state: State = emptyState()): Promise<Store> {
  const store = new Store(adapter, state);
  await store.persist();
  return store;
}

describe('file-backed store', () => {
  test('a new data file is created from the fixtures on first start', async () => {
    const file = join(dir, 'nested', 'data.json');
    const { store, seeded } = await openStore({ dataFile: file, fixtures: testFixtures(), now });
    expect(seeded).toBe(true);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as State;
    expect(onDisk.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    expect(onDisk.zones).toHaveLength(1);
    await store.close();
  });

  test('an acknowledged change is on disk and survives a restart', async () => {
    const file = join(dir, 'data.json');
    const first = await openStore({ dataFile: file, fixtures: testFixtures(), now });
    await first.store.mutate(addAccount('42'));
    expect((JSON.parse(await readFile(file, 'utf8')) as State).accounts.map((a) => a.uin)).toContain('42');
    await first.store.close();
    const second = await openStore({ dataFile: file, fixtures: emptyState(), now });
    expect(second.seeded).toBe(false);
    expect(second.store.read((s) => s.accounts.map((a) => a.uin))).toContain('42');
    await second.store.close();
  });

  test('leaves no temporary files behind', async () => {
    const file = join(dir, 'data.json');
    const { store } = await openStore({ dataFile: file, fixtures: testFixtures(), now });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.mutate(addAccount(String(i)))));
    expect(await readdir(dir)).toEqual(['data.json']);
    await store.close();
  });

  test('an unreadable data file is moved aside, never deleted, and the emulator starts from the fixtures', async () => {
    const file = join(dir, 'data.json');
    await writeFile(file, '{"accounts": [ truncated');
    const { store, quarantinedTo, seeded } = await openStore({ dataFile: file, fixtures: testFixtures(), now });
    expect(seeded).toBe(true);
    expect(quarantinedTo).toMatch(/data\.json\.corrupt-2026-03-01T00-00-00-000Z$/);
    expect(await readFile(quarantinedTo!, 'utf8')).toBe('{"accounts": [ truncated');
    expect(store.read((s) => s.zones)).toHaveLength(1);
    await store.close();
  });

  test('a data file whose collections are not arrays is quarantined too', async () => {
    const file = join(dir, 'data.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, zones: 'oops' }));
    const { quarantinedTo, store } = await openStore({ dataFile: file, fixtures: testFixtures(), now });
    expect(quarantinedTo).not.toBeNull();
    await store.close();
  });

  test('a data file from a newer emulator is refused and left untouched', async () => {
    const file = join(dir, 'data.json');
    const text = JSON.stringify({ schemaVersion: STATE_SCHEMA_VERSION + 1, zones: [] });
    await writeFile(file, text);
    await expect(openStore({ dataFile: file, fixtures: testFixtures(), now })).rejects.toBeInstanceOf(NewerStateVersionError);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('mutations', () => {
  test('concurrent mutations share writes (group commit) and all resolve after they are durable', async () => {
    const adapter = new FlakyAdapter();
    const store = await storeOn(adapter);
    const before = adapter.writes;
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.mutate(addAccount(String(i)))));
    expect(adapter.writes - before).toBeLessThan(30);
    expect((JSON.parse(adapter.durableText!) as State).accounts).toHaveLength(30);
  });

  test('a failed write fails every change in it with InternalError and rolls the state back', async () => {
    const adapter = new FlakyAdapter();
    const store = await storeOn(adapter);
    await store.mutate(addAccount('kept'));
    adapter.failWrites = true;
    const results = await Promise.allSettled([store.mutate(addAccount('lost1')), store.mutate(addAccount('lost2'))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
      expect(((r as PromiseRejectedResult).reason as ApiError).code).toBe('InternalError');
    }
    expect(store.read((s) => s.accounts.map((a) => a.uin))).toEqual(['kept']);
    adapter.failWrites = false;
    await store.mutate(addAccount('after'));
    expect(store.read((s) => s.accounts.map((a) => a.uin))).toEqual(['kept', 'after']);
  });

  test('a rule violation (ApiError) leaves the state and other pending changes alone', async () => {
    const store = await storeOn(new FlakyAdapter());
    const pending = store.mutate(addAccount('a'));
    await expect(
      store.mutate(() => {
        throw new ApiError('zoneIdNotExist', { zoneId: 'z' });
      }),
    ).rejects.toBeInstanceOf(ApiError);
    await pending;
    expect(store.read((s) => s.accounts)).toHaveLength(1);
  });

  test('an unexpected error half-way through a change rolls that change back', async () => {
    const store = await storeOn(new FlakyAdapter());
    await store.mutate(addAccount('a'));
    await expect(
      store.mutate((s) => {
        addAccount('half')(s);
        throw new TypeError('bug');
      }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(store.read((s) => s.accounts.map((a) => a.uin))).toEqual(['a']);
  });
});
