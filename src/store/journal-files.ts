import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { accessProblem, JournalAccessError, JournalCorruptError } from './errors.js';
import { errnoOf } from './fs-util.js';
import type { JournalEntry, JournalOp } from './persistence.js';

/** `<data file>.journal.<12 digits>`: segments sort by name, and their concatenation is the journal. */
export function segmentPath(dataFile: string, number: number): string {
  return `${dataFile}.journal.${String(number).padStart(12, '0')}`;
}

export interface Segment {
  number: number;
  path: string;
}

export async function listSegments(dataFile: string): Promise<Segment[]> {
  const prefix = `${basename(dataFile)}.journal.`;
  let names: string[];
  try {
    names = await readdir(dirname(dataFile));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ number: Number(name.slice(prefix.length)), path: join(dirname(dataFile), name) }))
    .sort((a, b) => a.number - b.number);
}

/** Where a journal entry was read: for messages that name the line to fix. */
export interface JournalLocation {
  file: string;
  line: number;
}

export interface ReadJournalOptions {
  /** The names an op may use (a line naming another is damage, not a record to drop). */
  collections?: ReadonlySet<string>;
  /** What is wrong with a put record (the check snapshot records pass), or null when it is fine. */
  recordProblem?: (collection: string, record: unknown) => string | null;
}

export interface ReadJournal {
  /** Entries after the snapshot, in order. */
  entries: JournalEntry[];
  /** Where each of `entries` was read, by position. */
  locations: JournalLocation[];
  segments: Segment[];
  /** Bytes of each segment, by number. */
  sizes: Map<number, number>;
  /** A last line left incomplete by a crash mid-append was dropped. */
  tornTail: boolean;
  /** Bytes of that line (0 when none was dropped). */
  tornBytes: number;
  /** Entries the snapshot already held (skipped). */
  skipped: number;
}

/**
 * Reads every segment. Only the very last line of the newest segment may be
 * incomplete (a crash mid-append): it was never acknowledged, so it is
 * dropped. Anything else that does not parse, or a gap in the sequence, is
 * damage: start-up stops rather than guess.
 */
export async function readJournal(dataFile: string, snapshotSeq: number, options: ReadJournalOptions = {}): Promise<ReadJournal> {
  const { collections, recordProblem } = options;
  const segments = await listSegments(dataFile);
  const entries: JournalEntry[] = [];
  const locations: JournalLocation[] = [];
  const sizes = new Map<number, number>();
  let tornTail = false;
  let tornBytes = 0;
  let skipped = 0;
  let expected = snapshotSeq + 1;
  for (const [index, segment] of segments.entries()) {
    const buffer = await readSegment(segment.path);
    sizes.set(segment.number, buffer.length);
    const lines = buffer.toString('utf8').split('\n');
    // Text after the last newline is an unfinished line ('' when the file ends cleanly).
    const tail = lines.pop() ?? '';
    const isNewest = index === segments.length - 1;
    if (tail !== '') {
      if (!isNewest) throw new JournalCorruptError(segment.path, lines.length + 1, 'an incomplete line in a segment that is not the newest');
      tornTail = true;
      tornBytes += Buffer.byteLength(tail);
    }
    for (const [i, line] of lines.entries()) {
      const lineNumber = i + 1;
      if (line === '') throw new JournalCorruptError(segment.path, lineNumber, 'an empty line');
      const last = isNewest && i === lines.length - 1 && tail === '';
      let entry: JournalEntry;
      try {
        entry = parseEntry(line, collections);
      } catch (error) {
        // A crash can leave a zero-filled block at the end of a file: that is a torn tail too.
        if (last && /^\u0000+$/.test(line)) {
          tornTail = true;
          tornBytes += line.length + 1;
          continue;
        }
        throw new JournalCorruptError(segment.path, lineNumber, (error as Error).message);
      }
      if (recordProblem) {
        for (const op of entry.ops) {
          const problem = 'put' in op ? recordProblem(op.c, op.put) : null;
          if (problem) throw new JournalCorruptError(segment.path, lineNumber, `a put to ${op.c} of a record of the wrong shape: ${problem}`);
        }
      }
      if (entry.seq < expected) {
        skipped += 1;
        continue;
      }
      if (entry.seq !== expected) throw new JournalCorruptError(segment.path, lineNumber, `sequence ${entry.seq} where ${expected} was due`);
      entries.push(entry);
      locations.push({ file: segment.path, line: lineNumber });
      expected += 1;
    }
  }
  return { entries, locations, segments, sizes, tornTail, tornBytes, skipped };
}

/** A segment's bytes, or a JournalAccessError that says what the path is instead of a readable file. */
async function readSegment(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      // Listed a moment ago, so the name is there: a symbolic link to nothing.
      const target = await readlink(path).catch(() => null);
      if (target !== null) throw new JournalAccessError(path, `it is a symbolic link to ${resolve(dirname(path), target)}, which does not exist`);
    }
    if (errnoOf(error) === 'EISDIR' || (await lstat(path).then((s) => s.isDirectory(), () => false))) throw new JournalAccessError(path, 'it is a directory');
    throw new JournalAccessError(path, accessProblem(error));
  }
}

function parseEntry(line: string, collections?: ReadonlySet<string>): JournalEntry {
  const raw = JSON.parse(line) as unknown;
  if (typeof raw !== 'object' || raw === null) throw new Error('not a JSON object');
  const { seq, ops } = raw as { seq?: unknown; ops?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw new Error('no valid seq');
  if (!Array.isArray(ops)) throw new Error('no ops');
  for (const op of ops as unknown[]) {
    if (typeof op !== 'object' || op === null) throw new Error('an op that is not an object');
    const { c, put, del } = op as { c?: unknown; put?: unknown; del?: unknown };
    if (typeof c !== 'string') throw new Error('an op without a collection');
    if (collections && !collections.has(c)) throw new Error(`an op on an unknown collection ${JSON.stringify(c)}`);
    const isPut = typeof put === 'object' && put !== null && !Array.isArray(put);
    if (isPut === (typeof del === 'string')) throw new Error('an op that is neither one put nor one del');
  }
  return { seq, ops: ops as JournalOp[] };
}
