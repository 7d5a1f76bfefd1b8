import { describeError } from './fs-util.js';

/** The store could not make a change durable; the change was undone in memory. The API answers InternalError. */
export class StoreWriteError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/** A write was attempted after close(). */
export class StoreClosedError extends StoreWriteError {
  constructor() {
    super('the store is closed');
    this.name = 'StoreClosedError';
  }
}

/**
 * The snapshot at shutdown could not be written (a full disk, a read-only
 * directory). Nothing is lost: every acknowledged change is in the journal,
 * which the next start replays.
 */
export class FinalSnapshotError extends Error {
  constructor(
    readonly location: string,
    override readonly cause: unknown,
  ) {
    super(
      `the final snapshot could not be written to ${location} (${describeError(cause)}); the journal beside it holds every acknowledged change, and the next start replays it`,
    );
    this.name = 'FinalSnapshotError';
  }
}

/** The data file is not a state document this emulator can read (with `--reset-damaged-data` it is moved aside). */
export class StateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFormatError';
  }
}

/** The data file was written by a newer emulator: refuse to touch it rather than lose data. */
export class NewerStateVersionError extends Error {
  constructor(found: unknown, supported: number) {
    super(
      `the data file has state schema version ${String(found)}, newer than this emulator's ${supported}; upgrade the emulator or start with another --data file`,
    );
    this.name = 'NewerStateVersionError';
  }
}

/**
 * A record in the data file does not have the shape its collection needs.
 * Start-up stops and names it: the file is valid JSON someone may have
 * edited, so it is neither moved aside nor guessed at.
 */
export class InvalidRecordError extends Error {
  constructor(
    message: string,
    /** The record named, when the check knows its place: collection and position in it. */
    readonly record?: { collection: string; index: number },
    what = 'a record of the wrong shape',
  ) {
    super(`the data file holds ${what}: ${message}; fix or remove that record`);
    this.name = 'InvalidRecordError';
  }
}

/** Records that each fit their shape but not together: two with one id, a reference to nothing. */
export class RecordIntegrityError extends InvalidRecordError {
  constructor(message: string, record?: { collection: string; index: number }) {
    super(message, record, 'a record that breaks a rule across records');
    this.name = 'RecordIntegrityError';
  }
}

/** Why a file could not be used, in a few words: `it is a directory`, `EACCES: permission denied, open '…'`. */
export function accessProblem(cause: unknown): string {
  const e = cause as NodeJS.ErrnoException;
  if (e?.code === 'EISDIR') return 'it is a directory';
  return e?.code ? (e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`) : String(cause);
}

/** The data file cannot be used at all (a directory, no permission, …): one clear line, nothing touched. */
export class DataFileAccessError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot use ${path} as the data file (${accessProblem(cause)})`);
    this.name = 'DataFileAccessError';
  }
}

/** A journal segment cannot be read (a directory, a dangling symlink, no permission): start-up stops and changes nothing. */
export class JournalAccessError extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(`cannot read the journal segment ${file} (${why}); nothing was changed. Make it a readable file again, or move it aside (losing the changes it holds)`);
    this.name = 'JournalAccessError';
  }
}

/** The journal is damaged somewhere other than a torn last line: start-up stops and leaves every file as it is. */
export class JournalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`the journal ${file} is damaged at line ${line} (${reason}); nothing was changed. Restore it from a backup, or move the journal files aside to start from the snapshot alone (losing the changes they hold)`);
    this.name = 'JournalCorruptError';
  }
}
