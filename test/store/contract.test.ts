// The store's contract, the same for both backends: what a transaction sees
// and leaves behind, what the indexes answer, when a write counts as done,
// and what a failed write undoes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreClosedError, StoreWriteError } from '../../src/store/errors.js';
import { FilePersistence } from '../../src/store/file-persistence.js';
import { MemoryPersistence, type Persistence } from '../../src/store/persistence.js';
import type { PendingAppends, WritableLog } from '../../src/store/log-collection.js';
import { Store, type Tables } from '../../src/store/store.js';
import {
  TEST_SCHEMA,
  TEST_VERSION,
  ScriptedPersistence,
  deferred,
  item,
  openTestStore,
  picture,
  scratchDir,
  seqsOf,
  ticks,
  watch,
  type LogEntry,
  type Scratch,
  type TestSchema,
  type TestStore,
} from '../helpers/store.js';

interface Backend {
  name: 'memory' | 'file';
  /** A fresh store opened the way the emulator opens one (openStore). */
  open(scratch: Scratch): Promise<TestStore>;
  /** A fresh store over a ScriptedPersistence wrapping the real backend. */
  openScripted(scratch: Scratch): Promise<{ store: TestStore; disk: ScriptedPersistence }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'memory',
    open: async () => (await openTestStore(null)).store,
    openScripted: async () => {
      const disk = new ScriptedPersistence(new MemoryPersistence());
      return { store: new Store(TEST_SCHEMA, TEST_VERSION, disk, 0), disk };
    },
  },
  {
    name: 'file',
    open: async (scratch) => (await openTestStore(scratch.dataFile)).store,
    openScripted: async (scratch) => {
      const inner: Persistence = new FilePersistence(scratch.dataFile, TEST_VERSION, { segments: [], sizes: new Map() }, 0, null);
      const disk = new ScriptedPersistence(inner);
      const store = new Store(TEST_SCHEMA, TEST_VERSION, disk, 0);
      // The data file exists from the start, as openStore leaves it: a later openStore can read these files.
      store.markSnapshotStale();
      await store.compact();
      return { store, disk };
    },
  },
];

/** Seeds a, b, c in g1 (b tagged blue, a and c red), d in g2, and a note. */
async function seed(store: TestStore): Promise<void> {
  await store.transact(({ items, notes }) => {
    items.put(item('a', { group: 'g1', tag: 'red', rank: 3 }));
    items.put(item('b', { group: 'g1', tag: 'blue', rank: 1 }));
    items.put(item('c', { group: 'g1', tag: 'red', rank: 2 }));
    items.put(item('d', { group: 'g2', rank: 2 }));
    notes.put({ id: 'n1', text: 'first' });
  });
}

describe.each(BACKENDS)('store contract, $name backend', (backend) => {
  let scratch: Scratch;
  const opened: TestStore[] = [];
  const open = async () => {
    const store = await backend.open(scratch);
    opened.push(store);
    return store;
  };
  const openScripted = async () => {
    const scripted = await backend.openScripted(scratch);
    opened.push(scripted.store);
    return scripted;
  };

  /** File backend: closes `store`, opens its files again and checks the log came back as it was. The reopened store; null in memory. */
  const reopenKeepsLog = async (store: TestStore): Promise<TestStore | null> => {
    if (backend.name !== 'file') return null;
    const logBefore = picture(store).events;
    await store.close();
    const { store: reopened } = await openTestStore(scratch.dataFile);
    opened.push(reopened);
    expect(picture(reopened).events).toEqual(logBefore);
    return reopened;
  };

  beforeEach(async () => {
    scratch = await scratchDir();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await scratch.remove();
  });

  describe('records', () => {
    test('get, has, size and scan show what transactions put and deleted, in insertion order', async () => {
      const store = await open();
      await seed(store);
      const { items } = store.view;
      expect(items.size).toBe(4);
      expect(items.get('b')).toEqual(item('b', { group: 'g1', tag: 'blue', rank: 1 }));
      expect(items.has('b')).toBe(true);
      expect(items.get('zz')).toBeUndefined();
      expect(Array.from(items.scan(), (i) => i.id)).toEqual(['a', 'b', 'c', 'd']);

      // Replacing keeps the record's place; deleting reports whether there was a record.
      const deleted = await store.transact(({ items: t }) => {
        t.put(item('b', { group: 'g1', rank: 9 }));
        return [t.delete('a'), t.delete('a'), t.delete('never')];
      });
      expect(deleted).toEqual([true, false, false]);
      expect(items.get('a')).toBeUndefined();
      expect(items.has('a')).toBe(false);
      expect(items.get('b')?.rank).toBe(9);
      expect(Array.from(items.scan(), (i) => i.id)).toEqual(['b', 'c', 'd']);
      expect(items.size).toBe(3);
      expect(store.dump()).toEqual({
        items: [item('b', { group: 'g1', rank: 9 }), item('c', { group: 'g1', tag: 'red', rank: 2 }), item('d', { group: 'g2', rank: 2 })],
        notes: [{ id: 'n1', text: 'first' }],
        events: [],
      });
    });

    test('a transaction sees its own writes, and put returns the stored record', async () => {
      const store = await open();
      const seen = await store.transact(({ items }) => {
        const stored = items.put(item('x', { rank: 4 }));
        return { stored, got: items.get('x'), count: items.count('group', 'g1'), size: items.size };
      });
      expect(seen.got).toBe(seen.stored);
      expect(seen.stored).toEqual(item('x', { rank: 4 }));
      expect(seen.count).toBe(1);
      expect(seen.size).toBe(1);
      expect(store.view.items.get('x')).toBe(seen.stored);
    });
  });

  describe('hash indexes', () => {
    test('find, findOne, count and iterate follow puts that change the indexed value, and deletes', async () => {
      const store = await open();
      await seed(store);
      const { items } = store.view;
      const ids = (records: Iterable<{ id: string }>) => Array.from(records, (r) => r.id);
      expect(ids(items.find('group', 'g1'))).toEqual(['a', 'b', 'c']);
      expect(items.findOne('group', 'g1')?.id).toBe('a');
      expect(items.count('group', 'g1')).toBe(3);
      expect(ids(items.iterate('group', 'g1'))).toEqual(['a', 'b', 'c']);
      expect(ids(items.find('tag', 'red'))).toEqual(['a', 'c']);
      // An index function answering undefined files the record nowhere.
      expect(items.count('tag', 'undefined')).toBe(0);

      await store.transact(({ items: t }) => {
        t.put(item('a', { group: 'g2', tag: 'blue', rank: 3 })); // moves in both indexes
        t.put(item('d', { group: 'g2', tag: 'red', rank: 2 })); // starts being filed under a tag
        t.delete('c');
      });
      expect(ids(items.find('group', 'g1'))).toEqual(['b']);
      expect(items.findOne('group', 'g1')?.id).toBe('b');
      expect(items.count('group', 'g1')).toBe(1);
      expect(items.count('group', 'g2')).toBe(2);
      expect(ids(items.find('group', 'g2'))).toEqual(['a', 'd']); // collection order, not the order they arrived
      expect(ids(items.find('tag', 'red'))).toEqual(['d']);
      expect(ids(items.find('tag', 'blue'))).toEqual(['a', 'b']);

      await store.transact(({ items: t }) => {
        t.delete('b');
        t.put(item('d', { group: 'g2', rank: 2 })); // loses its tag
      });
      expect(items.find('group', 'g1')).toEqual([]);
      expect(items.findOne('group', 'g1')).toBeUndefined();
      expect(items.count('group', 'g1')).toBe(0);
      expect(ids(items.iterate('group', 'g1'))).toEqual([]);
      expect(items.count('tag', 'red')).toBe(0);
      expect(ids(items.find('tag', 'blue'))).toEqual(['a']);
    });

    test('records filed under one index key come in the collection order, however they got there', async () => {
      const store = await open();
      await seed(store);
      // d (inserted last) joins g1, then a leaves and comes back: each is listed at its place in the collection, not at the end.
      await store.transact(({ items }) => items.put(item('d', { group: 'g1', rank: 2 })));
      await store.transact(({ items }) => items.put(item('a', { group: 'g3', rank: 3 })));
      await store.transact(({ items }) => items.put(item('a', { group: 'g1', rank: 3 })));
      const ids = Array.from(store.view.items.iterate('group', 'g1'), (i) => i.id);
      expect(ids).toEqual(Array.from(store.view.items.scan(), (i) => i.id));
      expect(ids).toEqual(['a', 'b', 'c', 'd']);
    });

    test('an index key holding one record, then two, then one again, keeps the collection order, undo included', async () => {
      const { store, disk } = await openScripted();
      await seed(store);
      const tags = ['red', 'blue', 'green'];
      const green = () => Array.from(store.view.items.find('tag', 'green'), (i) => i.id);
      await store.transact(({ items }) => items.put(item('d', { group: 'g2', tag: 'green', rank: 2 })));
      expect(green()).toEqual(['d']);
      await store.transact(({ items }) => items.put(item('b', { group: 'g1', tag: 'green', rank: 1 })));
      expect(green()).toEqual(['b', 'd']); // b was stored first
      expect(store.view.items.findOne('tag', 'green')?.id).toBe('b');
      await store.transact(({ items }) => items.delete('b'));
      expect(green()).toEqual(['d']);
      expect(store.view.items.count('tag', 'green')).toBe(1);

      const before = picture(store, undefined, tags);
      disk.failNext = 1;
      await expect(
        store.transact(({ items }) => {
          items.put(item('a', { group: 'g1', tag: 'green', rank: 3 }));
          items.put(item('c', { group: 'g1', tag: 'green', rank: 2 }));
          items.delete('d');
        }),
      ).rejects.toBeInstanceOf(StoreWriteError);
      expect(picture(store, undefined, tags)).toEqual(before);
      await store.transact(({ items }) => items.put(item('a', { group: 'g1', tag: 'green', rank: 3 })));
      expect(green()).toEqual(['a', 'd']);
    });

    test('asking for an index the collection does not have throws', async () => {
      const store = await open();
      // @ts-expect-error notes have no indexes
      expect(() => store.view.notes.find('group', 'g1')).toThrow(/no index group/);
    });
  });

  describe('ordered indexes', () => {
    // Sort keys in g1: b(1) c(2) d(2) a(3) e(5).
    async function ranked(store: TestStore): Promise<void> {
      await store.transact(({ items }) => {
        items.put(item('a', { rank: 3 }));
        items.put(item('b', { rank: 1 }));
        items.put(item('c', { rank: 2 }));
        items.put(item('d', { rank: 2 }));
        items.put(item('e', { rank: 5 }));
        items.put(item('z', { group: 'g2', rank: 0 }));
      });
    }
    const ids = (records: Iterable<{ id: string }>) => Array.from(records, (r) => r.id);

    test('iterate walks a group by (sort key, id) ascending or descending, and at() indexes it', async () => {
      const store = await open();
      await ranked(store);
      const view = store.view.items.ordered('byRank', 'g1');
      expect(view.size).toBe(5);
      expect(ids(view.iterate('Asc'))).toEqual(['b', 'c', 'd', 'a', 'e']);
      expect(ids(view.iterate('Desc'))).toEqual(['e', 'a', 'd', 'c', 'b']);
      expect([0, 1, 4, 5].map((p) => view.at(p)?.id)).toEqual(['b', 'c', 'e', undefined]);
      expect(store.view.items.ordered('byRank', 'nowhere').size).toBe(0);
      expect(ids(store.view.items.ordered('byRank', 'nowhere').iterate('Asc'))).toEqual([]);
    });

    test('an after cursor starts strictly after it, also when its record was deleted', async () => {
      const store = await open();
      await ranked(store);
      const view = store.view.items.ordered('byRank', 'g1');
      expect(ids(view.iterate('Asc', [2, 'c']))).toEqual(['d', 'a', 'e']);
      expect(ids(view.iterate('Desc', [2, 'd']))).toEqual(['c', 'b']);
      expect(view.countAfter('Asc', [2, 'c'])).toBe(3);
      expect(view.countAfter('Desc', [2, 'd'])).toBe(2);

      await store.transact(({ items }) => items.delete('d'));
      expect(ids(view.iterate('Asc', [2, 'd']))).toEqual(['a', 'e']);
      expect(ids(view.iterate('Desc', [2, 'd']))).toEqual(['c', 'b']);
      expect(view.countAfter('Asc', [2, 'd'])).toBe(2);
      expect(view.countAfter('Desc', [2, 'd'])).toBe(2);
      // Cursors before the first and past the last entry.
      expect(ids(view.iterate('Asc', [0, '']))).toEqual(['b', 'c', 'a', 'e']);
      expect(ids(view.iterate('Asc', [9, '']))).toEqual([]);
      expect(view.countAfter('Desc', [9, ''])).toBe(4);
    });

    test('iterateFrom skips a number of records in either direction', async () => {
      const store = await open();
      await ranked(store);
      const view = store.view.items.ordered('byRank', 'g1');
      expect(ids(view.iterateFrom('Asc', 2))).toEqual(['d', 'a', 'e']);
      expect(ids(view.iterateFrom('Desc', 1))).toEqual(['a', 'd', 'c', 'b']);
      expect(ids(view.iterateFrom('Asc', 0))).toEqual(['b', 'c', 'd', 'a', 'e']);
      expect(ids(view.iterateFrom('Asc', 5))).toEqual([]);
      expect(ids(view.iterateFrom('Desc', 7))).toEqual([]);
    });

    test('a record whose sort key or group changes moves, and a view sees groups created after it was taken', async () => {
      const store = await open();
      await ranked(store);
      const g1 = store.view.items.ordered('byRank', 'g1');
      const g3 = store.view.items.ordered('byRank', 'g3');
      expect(g3.size).toBe(0);
      await store.transact(({ items }) => {
        items.put(item('a', { rank: 0 }));
        items.put(item('e', { group: 'g3', rank: 5 }));
      });
      expect(ids(g1.iterate('Asc'))).toEqual(['a', 'b', 'c', 'd']);
      expect(ids(g3.iterate('Asc'))).toEqual(['e']);
      expect(g3.size).toBe(1);
      await store.transact(({ items }) => items.delete('e'));
      expect(g3.size).toBe(0);
      expect(g3.at(0)).toBeUndefined();
    });
  });

  describe('logs', () => {
    const seqs = (records: Iterable<{ seq: number }>) => Array.from(records, (e) => e.seq);
    /** What a capped log does per entry: append the next number, drop the oldest past the cap. */
    const append = (events: Tables<TestSchema>['events'], what: string, cap: number) => {
      events.put({ seq: (events.newest()?.seq ?? 0) + 1, what });
      while (events.size > cap) events.delete(String(events.oldest()!.seq));
    };

    test('appending and trimming keep sequence order; get, has, scan, iterate, oldest and newest follow', async () => {
      const store = await open();
      await store.transact(({ events }) => {
        for (let i = 0; i < 7; i++) append(events, `e${i}`, 5);
      });
      const { events } = store.view;
      expect(events.size).toBe(5);
      expect(seqs(events.scan())).toEqual([3, 4, 5, 6, 7]);
      expect(seqs(events.iterate('Asc'))).toEqual([3, 4, 5, 6, 7]);
      expect(seqs(events.iterate('Desc'))).toEqual([7, 6, 5, 4, 3]);
      expect([events.oldest()?.seq, events.newest()?.seq]).toEqual([3, 7]);
      expect(events.get('5')).toEqual({ seq: 5, what: 'e4' });
      expect([events.has('2'), events.has('3'), events.has('8')]).toEqual([false, true, false]);
      // Keys are sequence numbers as String() writes them.
      expect([events.get('05'), events.get('5.0'), events.get(' 5'), events.get('')]).toEqual([undefined, undefined, undefined, undefined]);
      expect(store.dump().events).toEqual([3, 4, 5, 6, 7].map((seq) => ({ seq, what: `e${seq - 1}` })));
    });

    test('an older or repeated number is filed in order or replaces its record; deleting from the middle keeps the order', async () => {
      const store = await open();
      await store.transact(({ events }) => {
        for (const seq of [10, 20, 30]) events.put({ seq, what: 'first' });
        events.put({ seq: 15, what: 'late' });
        events.put({ seq: 20, what: 'replaced' });
        events.put({ seq: 5, what: 'oldest' });
        return [events.delete('15'), events.delete('15'), events.delete('99')];
      });
      const { events } = store.view;
      expect(Array.from(events.scan(), (e) => [e.seq, e.what])).toEqual([
        [5, 'oldest'],
        [10, 'first'],
        [20, 'replaced'],
        [30, 'first'],
      ]);
      expect(Object.isFrozen(events.get('20'))).toBe(true);
    });

    test('a walk started before writes goes on over what was there when it started', async () => {
      const store = await open();
      await store.transact(({ events }) => {
        for (let i = 0; i < 3; i++) append(events, 'x', 3);
      });
      const walk = store.view.events.iterate('Asc');
      expect(walk.next().value?.seq).toBe(1);
      await store.transact(({ events }) => append(events, 'y', 3));
      expect(seqs(walk)).toEqual([2, 3]);
    });

    test('a transaction that throws after appending and trimming leaves the log exactly as it was', async () => {
      const store = await open();
      await store.transact(({ events }) => {
        for (let i = 0; i < 4; i++) append(events, `e${i}`, 4);
      });
      const before = picture(store);
      const boom = new Error('boom');
      await expect(
        store.transact(({ events }) => {
          for (let i = 0; i < 6; i++) append(events, 'doomed', 4);
          events.put({ seq: 2, what: 'rewritten' });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(picture(store)).toEqual(before);
      await store.transact(({ events }) => append(events, 'after', 4));
      expect(seqs(store.view.events.scan())).toEqual([2, 3, 4, 5]);
    });

    test('trimming past the compaction threshold many times over keeps every record reachable', async () => {
      const store = await open();
      // Thousands of appends through a cap of 3: the log's start offset is rebuilt again and again.
      store.transactLazily(({ events }) => {
        for (let i = 0; i < 5000; i++) append(events, `e${i}`, 3);
      });
      const { events } = store.view;
      expect(seqs(events.scan())).toEqual([4998, 4999, 5000]);
      expect(events.get('4998')?.what).toBe('e4997');
      expect(events.get('4997')).toBeUndefined();
    });

    test('lazy appends and trims journal only the entries still held, and a reopened store has the same log', async () => {
      const { store, disk } = await openScripted();
      for (let i = 0; i < 50; i++) store.transactLazily(({ events }) => append(events, `e${i}`, 10));
      await store.transact(({ items }) => items.put(item('a')));
      const text = disk.appended.join('');
      // Entries made and dropped since the last append leave nothing in the journal.
      expect(text).not.toContain('"e39"');
      expect(text).toContain('"e40"');
      for (let i = 50; i < 55; i++) store.transactLazily(({ events }) => append(events, `e${i}`, 10));
      await store.transact(() => undefined);
      // Journaled entries that were then dropped are journaled as removed.
      expect(disk.appended.join('')).toContain('"del":"41"');
      const reopened = await reopenKeepsLog(store);
      if (reopened) expect(seqs(reopened.view.events.scan())).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    });
  });

  describe('fed logs', () => {
    const seqs = (records: Iterable<{ seq: number }>) => Array.from(records, (e) => e.seq);
    /** Entries waiting outside the log; each is numbered on from the log's newest when taken in, capped at `cap`. */
    class Waiting implements PendingAppends<LogEntry> {
      drains = 0;
      private queue: string[] = [];
      constructor(private readonly cap = 100) {}
      get pending(): boolean {
        return this.queue.length > 0;
      }
      add(...what: string[]): void {
        this.queue.push(...what);
      }
      drainInto(events: WritableLog<LogEntry>): void {
        this.drains += 1;
        const queue = this.queue;
        this.queue = [];
        for (const what of queue) events.put({ seq: (events.newest()?.seq ?? 0) + 1, what });
        while (events.size > this.cap) events.delete(String(events.oldest()!.seq));
      }
    }

    test('what waits joins the log, after what it held, when the log is read, and reading other collections leaves it waiting', async () => {
      const store = await open();
      const waiting = new Waiting();
      store.feedLog('events', waiting);
      await store.transact(({ events }) => events.put({ seq: 1, what: 'held' }));
      waiting.add('w1', 'w2');
      expect([store.view.items.size, store.view.notes.get('n')]).toEqual([0, undefined]);
      expect(waiting.pending).toBe(true);
      expect(store.view.events.size).toBe(3);
      expect(waiting.pending).toBe(false);
      expect(Array.from(store.view.events.scan(), (e) => e.what)).toEqual(['held', 'w1', 'w2']);
      // Every way of reading the log takes it in first.
      const looks: ((events: typeof store.view.events) => unknown)[] = [
        (e) => e.newest(),
        (e) => e.oldest(),
        (e) => e.get('1'),
        (e) => e.has('1'),
        (e) => e.iterate('Desc'),
        (e) => e.scan(),
        (e) => e.size,
      ];
      for (const [i, look] of looks.entries()) {
        waiting.add(`look ${i}`);
        look(store.view.events);
        expect(waiting.pending).toBe(false);
      }
      waiting.add('last');
      expect(store.dump().events.map((e) => e.what)).toEqual(['held', 'w1', 'w2', ...looks.map((_, i) => `look ${i}`), 'last']);
      expect(seqs(store.view.events.scan())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(waiting.drains).toBe(9);
    });

    test('a transaction takes in what waits before it starts, so one that throws does not undo it', async () => {
      const store = await open();
      const waiting = new Waiting();
      store.feedLog('events', waiting);
      waiting.add('kept');
      const boom = new Error('boom');
      await expect(
        store.transact(({ events }) => {
          events.put({ seq: 99, what: 'doomed' });
          throw boom;
        }),
      ).rejects.toBe(boom);
      waiting.add('kept too');
      expect(() =>
        store.transactLazily(({ notes }) => {
          notes.put({ id: 'n', text: 'doomed' });
          throw boom;
        }),
      ).toThrow(boom);
      expect(Array.from(store.view.events.scan(), (e) => e.what)).toEqual(['kept', 'kept too']);
    });

    test('what waits is written with the next append as a lazy change, never on its own, and a reopened store has it', async () => {
      const { store, disk } = await openScripted();
      const waiting = new Waiting(3);
      store.feedLog('events', waiting);
      waiting.add('a', 'b', 'c', 'd', 'e');
      await ticks(20);
      expect(disk.appendCalls).toBe(0);
      expect(waiting.pending).toBe(true);
      await store.transact(({ items }) => items.put(item('x')));
      expect(waiting.pending).toBe(false);
      const text = disk.appended.join('');
      // Taken in under the cap before the append: only what the log still holds is journaled.
      expect(text).not.toContain('"what":"b"');
      expect(text).toContain('"what":"e"');
      expect(seqs(store.view.events.scan())).toEqual([3, 4, 5]);
      await reopenKeepsLog(store);
    });

    test('close() takes in what waits and saves it; what comes after joins the state in memory only', async () => {
      const { store, disk } = await openScripted();
      const waiting = new Waiting();
      store.feedLog('events', waiting);
      waiting.add('before close');
      await store.close();
      expect(disk.appended.join('')).toContain('"before close"');
      waiting.add('after close');
      expect(Array.from(store.view.events.scan(), (e) => e.what)).toEqual(['before close', 'after close']);
      if (backend.name === 'file') {
        const { store: reopened } = await openTestStore(scratch.dataFile);
        opened.push(reopened);
        expect(Array.from(reopened.view.events.scan(), (e) => e.what)).toEqual(['before close']);
      }
    });

    test('a log is fed by one source, and only a log can be fed', async () => {
      const store = await open();
      store.feedLog('events', new Waiting());
      expect(() => store.feedLog('events', new Waiting())).toThrow(/fed already/);
      // The compiler refuses a collection that is not a log; at run time the store refuses it too.
      expect(() => store.feedLog('notes' as 'events', new Waiting())).toThrow(/not a log/);
    });
  });

  describe('transactions', () => {
    test('a transaction that throws leaves records and every index exactly as they were, and rejects with its error', async () => {
      const { store, disk } = await openScripted();
      await seed(store);
      const before = picture(store);
      const appends = disk.appendCalls;
      const boom = new Error('boom');
      await expect(
        store.transact(({ items, notes }) => {
          items.delete('a');
          items.put(item('a', { group: 'g3', tag: 'blue', rank: 7 })); // back, elsewhere
          items.put(item('b', { group: 'g2', tag: 'red', rank: 0 }));
          items.put(item('new', { group: 'g1', tag: 'red' }));
          items.delete('c');
          notes.put({ id: 'n1', text: 'changed' });
          notes.delete('n1');
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(picture(store)).toEqual(before);
      await ticks();
      expect(disk.appendCalls).toBe(appends);
      // The store goes on as before.
      await store.transact(({ items }) => items.put(item('after')));
      expect(store.view.items.get('after')).toBeDefined();
    });

    test('writes outside a transaction throw and change nothing', async () => {
      const store = await open();
      await seed(store);
      let leaked: Tables<TestSchema> | undefined;
      await store.transact((tables) => {
        leaked = tables;
      });
      const before = picture(store);
      expect(() => leaked!.items.put(item('x'))).toThrow(/outside a transaction/);
      expect(() => leaked!.items.delete('a')).toThrow(/outside a transaction/);
      expect(picture(store)).toEqual(before);
      // The read-only view has no writers at all.
      // @ts-expect-error the view is read-only
      expect(() => store.view.items.put(item('y'))).toThrow();
    });

    test('transactions do not nest', async () => {
      const store = await open();
      await expect(store.transact(() => store.transactLazily(() => 1))).rejects.toThrow(/do not nest/);
      await expect(store.transact(() => store.transact(() => 1))).rejects.toThrow(/do not nest/);
    });

    test('stored records are deeply frozen, and the compiler forbids changing them', async () => {
      const store = await open();
      await seed(store);
      const a = store.view.items.get('a')!;
      expect(Object.isFrozen(a)).toBe(true);
      expect(() => {
        // @ts-expect-error records are readonly
        a.rank = 99;
      }).toThrow(TypeError);
      expect(() => {
        // @ts-expect-error records are readonly, nested values too
        a.nested.values.push(3);
      }).toThrow(TypeError);
      expect(store.view.items.get('a')).toEqual(item('a', { group: 'g1', tag: 'red', rank: 3 }));
    });
  });

  describe('durability', () => {
    test('transact resolves only once its change is durable', async () => {
      const { store, disk } = await openScripted();
      const held = deferred();
      disk.hold = held.promise;
      const pending = store.transact(({ items }) => items.put(item('a')));
      const state = watch(pending);
      await ticks();
      expect(disk.appendCalls).toBe(1);
      expect(state.settled()).toBe(false);
      // Applied in memory at once: readers see it, it is just not acknowledged yet.
      expect(store.view.items.has('a')).toBe(true);
      held.resolve();
      await pending;
      expect(seqsOf(disk.appended)).toEqual([1]);
      if (backend.name === 'file') {
        const [segment] = await scratch.segments();
        const text = await readFile(join(scratch.dir, segment!), 'utf8');
        expect(text).toBe(disk.appended.join(''));
      }
    });

    test('transactions committed together share one append, and those committed during an append share the next', async () => {
      const { store, disk } = await openScripted();
      await Promise.all(Array.from({ length: 10 }, (_, i) => store.transact(({ items }) => items.put(item(`a${i}`)))));
      expect(disk.appendCalls).toBe(1);
      expect(seqsOf(disk.appended)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

      const held = deferred();
      disk.hold = held.promise;
      const first = store.transact(({ items }) => items.put(item('b0')));
      await ticks();
      expect(disk.appendCalls).toBe(2);
      const rest = Array.from({ length: 5 }, (_, i) => store.transact(({ items }) => items.put(item(`b${i + 1}`))));
      await ticks();
      expect(disk.appendCalls).toBe(2); // the others wait for the append in flight
      held.resolve();
      await Promise.all([first, ...rest]);
      expect(disk.appendCalls).toBe(3);
      expect(disk.appended.map((text) => text.split('\n').length - 1)).toEqual([10, 1, 5]);
      if (backend.name === 'file') {
        const texts = await Promise.all((await scratch.segments()).map((s) => readFile(join(scratch.dir, s), 'utf8')));
        expect(texts.join('').split('\n').filter(Boolean)).toHaveLength(16);
      }
    });

    test('a transaction that changes nothing resolves without an append, but waits for changes it could have read', async () => {
      const { store, disk } = await openScripted();
      await expect(store.transact(() => 42)).resolves.toBe(42);
      expect(disk.appendCalls).toBe(0);

      const held = deferred();
      disk.hold = held.promise;
      const write = store.transact(({ items }) => items.put(item('a')));
      const read = store.transact(({ items }) => items.has('a'));
      const state = watch(read);
      await ticks();
      expect(state.settled()).toBe(false);
      held.resolve();
      await expect(read).resolves.toBe(true);
      await write;
    });

    test('transactLazily applies at once but appends nothing until the next transact', async () => {
      const { store, disk } = await openScripted();
      const filesBefore = backend.name === 'file' ? await scratch.contents() : null;
      const result = store.transactLazily(({ notes }) => notes.put({ id: 'lazy', text: 'used' }));
      expect(result).toEqual({ id: 'lazy', text: 'used' });
      expect(store.view.notes.get('lazy')).toEqual({ id: 'lazy', text: 'used' });
      await ticks(20);
      expect(disk.appendCalls).toBe(0);
      if (filesBefore) expect(await scratch.contents()).toEqual(filesBefore);

      await store.transact(({ items }) => items.put(item('a')));
      expect(disk.appendCalls).toBe(1);
      expect(seqsOf(disk.appended)).toEqual([1, 2]);
      expect(disk.appended.join('')).toContain('"lazy"');
    });

    test('close() saves lazy changes, and after it writes are refused with StoreClosedError', async () => {
      const { store, disk } = await openScripted();
      store.transactLazily(({ notes }) => notes.put({ id: 'lazy', text: 'used' }));
      const closing = store.close();
      expect(store.close()).toBe(closing);
      await closing;
      expect(disk.appended.join('')).toContain('"lazy"');
      await expect(store.transact(({ items }) => items.put(item('late')))).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.transact(() => 1)).rejects.toBeInstanceOf(StoreClosedError);
      expect(() => store.transactLazily(({ items }) => items.put(item('late')))).toThrow(StoreClosedError);
      expect(store.view.items.has('late')).toBe(false);
      if (backend.name === 'file') {
        const { store: reopened } = await openTestStore(scratch.dataFile);
        opened.push(reopened);
        expect(reopened.view.notes.get('lazy')).toEqual({ id: 'lazy', text: 'used' });
      }
    });

    test('lazy changes are kept as keys, not transactions: many on one key journal it once, with its current value', async () => {
      const { store, disk } = await openScripted();
      for (let i = 0; i < 500; i++) store.transactLazily(({ notes }) => notes.put({ id: 'used', text: `use ${i}` }));
      await ticks(5);
      expect(disk.appendCalls).toBe(0);
      await store.transact(({ items }) => items.put(item('a')));
      const text = disk.appended.join('');
      expect(text.split('"used"').length - 1).toBe(1);
      expect(text).toContain('"use 499"');
      expect(seqsOf(disk.appended)).toEqual([1, 2]);
    });

    test('a key made and removed by lazy changes between two appends leaves nothing in the journal', async () => {
      const { store, disk } = await openScripted();
      store.transactLazily(({ notes }) => notes.put({ id: 'brief', text: 'here' }));
      store.transactLazily(({ notes }) => notes.put({ id: 'kept', text: 'here' }));
      store.transactLazily(({ notes }) => notes.delete('brief'));
      await store.transact(({ items }) => items.put(item('a')));
      const text = disk.appended.join('');
      expect(text).not.toContain('"brief"');
      expect(text).toContain('"kept"');
    });

    test('a lazily made key that a transaction journaled, then lazily removed, is journaled as removed', async () => {
      const { store, disk } = await openScripted();
      store.transactLazily(({ notes }) => notes.put({ id: 'n9', text: 'lazy' }));
      await store.transact(({ notes }) => notes.put({ id: 'n9', text: 'durable' }));
      store.transactLazily(({ notes }) => notes.delete('n9'));
      await store.transact(({ items }) => items.put(item('a')));
      expect(disk.appended.join('')).toContain('"del":"n9"');
      if (backend.name === 'file') {
        await store.close();
        const { store: reopened } = await openTestStore(scratch.dataFile);
        opened.push(reopened);
        expect(reopened.view.notes.has('n9')).toBe(false);
      }
    });

    test('a failed append keeps the lazy changes for the next one', async () => {
      const { store, disk } = await openScripted();
      store.transactLazily(({ notes }) => notes.put({ id: 'lazy', text: 'used' }));
      disk.failNext = 1;
      await expect(store.transact(({ items }) => items.put(item('a')))).rejects.toBeInstanceOf(StoreWriteError);
      expect(store.view.notes.get('lazy')).toEqual({ id: 'lazy', text: 'used' });
      await store.transact(({ items }) => items.put(item('b')));
      expect(disk.appended.join('')).toContain('"lazy"');
      expect(seqsOf(disk.appended)).toEqual([1, 2]);
    });

    test('a failed append rejects its batch and every transaction queued behind it with StoreWriteError, undoes them exactly, and the store goes on', async () => {
      const { store, disk } = await openScripted();
      await seed(store);
      const before = picture(store);
      const seqBefore = store.lastSeq;

      const held = deferred();
      disk.hold = held.promise;
      disk.failNext = 1;
      const inFlight = store.transact(({ items }) => {
        items.delete('a');
        items.put(item('b', { group: 'g2', tag: 'red', rank: 8 }));
        items.put(item('e', { group: 'g1', tag: 'red' }));
      });
      await ticks();
      expect(disk.appendCalls).toBe(2); // the seed's, and this one's (held)
      const queued = store.transact(({ items, notes }) => {
        items.delete('c');
        items.put(item('a', { group: 'g3' }));
        notes.delete('n1');
      });
      const reader = store.transact(({ items }) => items.has('e'));
      held.resolve();

      const errors = await Promise.all([inFlight, queued, reader].map((p) => p.then(() => null, (error: unknown) => error)));
      for (const error of errors) {
        expect(error).toBeInstanceOf(StoreWriteError);
        expect((error as Error).message).toMatch(/ENOSPC/);
      }
      expect(picture(store)).toEqual(before);
      expect(store.lastSeq).toBe(seqBefore);
      // Nothing of the failed batch was written, and the next change follows on without a gap.
      disk.hold = null;
      await store.transact(({ items }) => items.put(item('f', { group: 'g2' })));
      expect(seqsOf(disk.appended)).toEqual([...Array.from({ length: seqBefore }, (_, i) => i + 1), seqBefore + 1]);
      expect(store.view.items.get('f')).toBeDefined();
      expect(store.view.items.get('e')).toBeUndefined();

      if (backend.name === 'file') {
        await store.close();
        const { store: reopened } = await openTestStore(scratch.dataFile);
        opened.push(reopened);
        expect(Array.from(reopened.view.items.scan(), (i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'f']);
        expect(reopened.view.items.get('b')).toEqual(item('b', { group: 'g1', tag: 'blue', rank: 1 }));
      }
    });
  });
});

describe('store contract, file backend only', () => {
  let scratch: Scratch;
  const opened: TestStore[] = [];
  const open = async () => {
    const { store } = await openTestStore(scratch.dataFile);
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    scratch = await scratchDir();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await scratch.remove();
  });

  /** Puts, moves, deletes and a lazy change, so every index has something to rebuild. */
  async function churn(store: TestStore): Promise<void> {
    await seed(store);
    await store.transact(({ items }) => {
      items.put(item('d', { group: 'g1', tag: 'blue', rank: 0 }));
      items.put(item('a', { group: 'g3', rank: 3 }));
      items.delete('b');
      items.put(item('e', { group: 'g2', tag: 'red', rank: 4 }));
    });
    await store.transact(({ items, events }) => {
      items.put(item('a', { group: 'g1', tag: 'red', rank: 3 }));
      for (let seq = 1; seq <= 4; seq++) events.put({ seq, what: 'durable' });
    });
    store.transactLazily(({ notes, events }) => {
      notes.put({ id: 'n2', text: 'lazy' });
      // Past a cap of 5: some durable entries are dropped again.
      for (let seq = 5; seq <= 8; seq++) events.put({ seq, what: 'lazy' });
      events.delete('1');
      events.delete('2');
      events.delete('3');
    });
  }

  test('reopening after close() shows the same records and indexes, and a clean shutdown leaves one compacted snapshot', async () => {
    const store = await open();
    await churn(store);
    const before = picture(store);
    await store.close();
    expect(await scratch.names()).toEqual(['state.json']);
    const reopened = await open();
    expect(picture(reopened)).toEqual(before);
    const doc = JSON.parse(await readFile(scratch.dataFile, 'utf8')) as { journalSeq: number };
    expect(doc.journalSeq).toBe(reopened.lastSeq);
  });

  test('a clean shutdown leaves no journal even when the last change was appended after a compaction captured it', async () => {
    const store = await open();
    await seed(store);
    // Committed, not yet appended, when the compaction rotates and captures: its line lands in the new segment.
    const write = store.transact(({ items }) => items.put(item('late')));
    const compaction = store.compact();
    await Promise.all([write, compaction]);
    await store.close();
    expect(await scratch.names()).toEqual(['state.json']);
    const reopened = await open();
    expect(reopened.view.items.has('late')).toBe(true);
  });

  test('reopening without close() replays the journal to the same state', async () => {
    const store = await open();
    await churn(store);
    await store.transact(() => undefined); // flushes the lazy change
    const before = picture(store);
    expect((await scratch.segments()).length).toBeGreaterThan(0);
    // No close: as after a crash. The copy is opened where the original cannot be disturbed by it.
    const copy = await scratchDir();
    try {
      for (const [name, bytes] of await scratch.contents()) await writeFile(join(copy.dir, name), bytes);
      const { store: replayed, replayed: count } = await openTestStore(copy.dataFile);
      expect(count).toBeGreaterThan(0);
      expect(picture(replayed)).toEqual(before);
      await replayed.close();
    } finally {
      await copy.remove();
    }
  });
});
