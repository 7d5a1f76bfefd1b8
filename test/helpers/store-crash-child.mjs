// The process test/store/crash.test.ts kills. It opens a file-backed store
// (the BUILT one, dist/: `npm test` builds first) with the collections of
// test/helpers/store.ts, writes until it is killed, and prints one line per
// event on stdout (a pipe: synchronous on Linux, so a printed line survives
// the kill):
//   ready <counter>   the store is open (after recovering whatever the last kill left)
//   ack <k>           transaction k is durable (acknowledged)
//   paused            (pause-after-rename) a compaction renamed its snapshot and is about to delete segments
//   refused           (full-disk) a transaction was refused (the disk is full); the writer goes on
//   compaction-failed a compaction the store started by itself failed
//
// Transaction k (the note "counter" plus one) puts item `n<k>` (group
// "crash"), sets note "counter" to k, and puts (k even) or deletes (k odd)
// item "scratch": after any crash the items of group "crash" must be exactly
// n1..n<counter>, and "scratch" must exist exactly when counter is even.
//
// Usage: node store-crash-child.mjs <data file> <append | compact | pause-after-rename | full-disk> [compactMinBytes]
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const [dataFile, mode, compactArg] = process.argv.slice(2);
if (!dataFile || !['append', 'compact', 'pause-after-rename', 'full-disk'].includes(mode ?? '')) {
  process.stderr.write('usage: store-crash-child.mjs <data file> <append | compact | pause-after-rename | full-disk> [compactMinBytes]\n');
  process.exit(2);
}

let armed = false;
if (mode === 'pause-after-rename') {
  // The store deletes covered segments only after the new snapshot is renamed into place:
  // stop right there, for good, and let the parent kill us.
  const unlink = fsp.unlink;
  fsp.unlink = async (path, ...rest) => {
    if (armed && String(path).includes('.journal.')) {
      process.stdout.write('paused\n');
      return new Promise(() => {});
    }
    return unlink(path, ...rest);
  };
  syncBuiltinESMExports();
}

const dist = new URL('../../dist/src/store/', import.meta.url);
const { openStore } = await import(new URL('open-store.js', dist).href);
const { collection } = await import(new URL('collection.js', dist).href);

const schema = {
  items: collection()({
    key: (i) => i.id,
    indexes: { group: (i) => i.group, tag: (i) => i.tag },
    ordered: { byRank: { group: (i) => i.group, sortKey: (i) => [i.rank, i.id] } },
  }),
  notes: collection()({ key: (n) => n.id }),
};

const { store } = await openStore({
  definition: { schema, version: 2, migrate: (source) => source },
  dataFile,
  fixtures: { schemaVersion: 2, journalSeq: 0, collections: [] },
  now: new Date(),
  compactMinBytes: compactArg ? Number(compactArg) : mode === 'compact' ? 1 : 1 << 30,
  onBackgroundError: (error, what) => {
    if (what === 'compaction') process.stdout.write('compaction-failed\n');
    process.stderr.write(`${what}: ${error?.stack ?? error}\n`);
  },
});

let acks = 0;
process.stdout.write(`ready ${Number(store.view.notes.get('counter')?.text ?? 0)}\n`);

// A few hundred bytes a record, so snapshots take a moment to write.
const padding = 'x'.repeat(300);

async function writer() {
  for (;;) {
    let k;
    try {
      k = await store.transact(({ items, notes }) => {
        const k = Number(notes.get('counter')?.text ?? 0) + 1;
        items.put({ id: `n${k}`, group: 'crash', rank: k, nested: { values: [k] }, tag: padding });
        notes.put({ id: 'counter', text: String(k) });
        if (k % 2 === 0) items.put({ id: 'scratch', group: 'scratch', rank: k, nested: { values: [] } });
        else items.delete('scratch');
        return k;
      });
    } catch (error) {
      if (mode !== 'full-disk') throw error;
      process.stdout.write('refused\n');
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    process.stdout.write(`ack ${k}\n`);
    acks += 1;
    if (mode === 'pause-after-rename' && acks === 20) {
      // Lines are in the current segment now: compact, and the segment it covers is the one it will pause before deleting.
      armed = true;
      void store.compact();
    }
  }
}

async function compactor() {
  // Compaction all the time, on top of the automatic one a 1-byte threshold asks for after every append.
  for (;;) {
    await store.compact();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

for (let i = 0; i < 4; i++) void writer();
if (mode === 'compact') void compactor();
