// Kill -9 at random moments: while appending, while compacting all the time,
// and between a compaction's rename and its removal of old segments. After
// every kill the files must load and hold every acknowledged write, each
// transaction whole or not at all. Each child recovers what the previous kill
// left, so recovery itself is killed too.
import { readJournal } from '../../src/store/journal-files.js';
import { copyScratch, openTestStore, scratchDir, type Scratch } from '../helpers/store.js';
import { StoreChild, type ChildMode } from '../helpers/store-child.js';

type Mode = Exclude<ChildMode, 'full-disk'>;

interface Killed {
  /** The counter the child found when it opened the files. */
  startedAt: number;
  acked: number[];
  paused: boolean;
}

/**
 * Starts the child on `dataFile` and SIGKILLs it `delayMs` after it is ready
 * (pause-after-rename: after it paused between rename and unlink).
 */
async function runAndKill(dataFile: string, mode: Mode, delayMs: number): Promise<Killed> {
  const child = new StoreChild(dataFile, mode);
  try {
    await child.waitFor((c) => (mode === 'pause-after-rename' ? c.count('paused') > 0 : c.startedAt() !== null), 10_000, 'its kill point');
  } catch (error) {
    await child.kill().catch(() => undefined);
    throw error;
  }
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  await child.kill();
  return { startedAt: child.startedAt()!, acked: child.acked(), paused: child.count('paused') > 0 };
}

/** Opens a copy of the files (the originals stay as the kill left them for the next child) and checks them. */
async function verify(scratch: Scratch, mustHold: number): Promise<{ counter: number; skipped: number; segments: number }> {
  const copy = await copyScratch(scratch, 'tce-crash-copy-');
  try {
    const segments = (await copy.segments()).length;
    const { store } = await openTestStore(copy.dataFile);
    try {
      const counter = Number(store.view.notes.get('counter')?.text ?? 0);
      expect(counter).toBeGreaterThanOrEqual(mustHold);
      // Transactions are whole: exactly n1..n<counter>, and "scratch" as the last one left it.
      const ranks = store.view.items.find('group', 'crash').map((i) => i.rank);
      expect(ranks).toEqual(Array.from({ length: counter }, (_, i) => i + 1));
      expect(store.view.items.has('scratch')).toBe(counter > 0 && counter % 2 === 0);
      return { counter, skipped: 0, segments };
    } finally {
      await store.close();
    }
  } finally {
    await copy.remove();
  }
}

/** How many journal entries on disk the snapshot already holds (left by a compaction killed before it removed them). */
async function coveredEntries(scratch: Scratch): Promise<number> {
  const doc = JSON.parse((await (await scratch.contents()).get('state.json'))!.toString()) as { journalSeq: number };
  return (await readJournal(scratch.dataFile, doc.journalSeq)).skipped;
}

const ROUNDS: Mode[] = ['append', 'compact', 'append', 'pause-after-rename', 'compact', 'append', 'compact', 'pause-after-rename', 'compact', 'append'];

test(`every acknowledged write survives ${ROUNDS.length} SIGKILLs during appends, compactions, and between a compaction's rename and its clean-up`, async () => {
  const scratch = await scratchDir('tce-crash-');
  try {
    let acknowledged = 0;
    const log: string[] = [];
    for (const [round, mode] of ROUNDS.entries()) {
      const delayMs = mode === 'pause-after-rename' ? Math.floor(Math.random() * 40) : 30 + Math.floor(Math.random() * 200);
      const killed = await runAndKill(scratch.dataFile, mode, delayMs);
      const context = `round ${round} (${mode}, killed ${delayMs} ms in): started at ${killed.startedAt}, acked ${killed.acked.length} up to ${Math.max(0, ...killed.acked)}`;
      log.push(context);
      // What the previous round acknowledged was there when this child opened the files.
      expect({ context, startedAt: killed.startedAt >= acknowledged }).toEqual({ context, startedAt: true });
      acknowledged = Math.max(acknowledged, ...killed.acked);
      if (mode === 'pause-after-rename') {
        expect(killed.paused).toBe(true);
        // Killed at the intended moment: the new snapshot is in place and the segment it covers is still there.
        expect({ context, covered: (await coveredEntries(scratch)) > 0 }).toEqual({ context, covered: true });
      }
      const { counter } = await verify(scratch, acknowledged);
      log.push(`  files hold counter ${counter}`);
    }
    // Some rounds must have got writes in, or this proves nothing.
    expect({ log, acknowledged: acknowledged > ROUNDS.length }).toEqual({ log, acknowledged: true });

    // And the original files, as the last kill left them, open and shut down clean.
    const { store } = await openTestStore(scratch.dataFile);
    expect(Number(store.view.notes.get('counter')?.text)).toBeGreaterThanOrEqual(acknowledged);
    await store.close();
    expect(await scratch.names()).toEqual(['state.json']);
  } finally {
    await scratch.remove();
  }
}, 60_000);
