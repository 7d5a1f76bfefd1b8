/** Time comes from here, never from Date.now() in domain code or handlers, so expiry is testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What `/_emulator/clock` reports. */
export interface ClockState {
  /** ISO-8601 instant. */
  now: string;
  frozen: boolean;
}

export interface ControllableClockOptions {
  /** Where running time comes from (milliseconds since the epoch); the machine's clock by default. */
  source?: () => number;
  /** Start frozen at this instant; otherwise start running, at the source's time. */
  frozenAt?: Date | string;
}

/**
 * The emulator's one clock: SCIM key expiry, record times, the TC3 signature
 * window and the request journal all read it. Running, it follows its source
 * shifted by an offset; frozen, it stands still. `set` and `advance` move it
 * either way, so a test can make a key expire without waiting.
 */
export class ControllableClock implements Clock {
  private readonly source: () => number;
  private readonly initialFrozenAt: number | null;
  /** Added to the source's time while running. */
  private offsetMs = 0;
  /** The instant it stands at while frozen; null while running. */
  private frozenAtMs: number | null;

  constructor(options: ControllableClockOptions = {}) {
    this.source = options.source ?? Date.now;
    this.initialFrozenAt = options.frozenAt === undefined ? null : instantOf(options.frozenAt);
    this.frozenAtMs = this.initialFrozenAt;
  }

  now(): Date {
    return new Date(this.frozenAtMs ?? this.source() + this.offsetMs);
  }

  get frozen(): boolean {
    return this.frozenAtMs !== null;
  }

  /** Stops time where it is now (no-op when already frozen). */
  freeze(): void {
    this.frozenAtMs ??= this.source() + this.offsetMs;
  }

  /** Lets time run again from where it stands (no-op when running). */
  unfreeze(): void {
    if (this.frozenAtMs === null) return;
    this.offsetMs = this.frozenAtMs - this.source();
    this.frozenAtMs = null;
  }

  /** Moves to `at`; a running clock keeps running from there. */
  set(at: Date | string): void {
    const target = instantOf(at);
    if (this.frozenAtMs !== null) this.frozenAtMs = target;
    else this.offsetMs = target - this.source();
  }

  /** Moves by `seconds` (negative goes back). */
  advance(seconds: number): void {
    const ms = Math.round(seconds * 1000);
    if (this.frozenAtMs !== null) this.frozenAtMs += ms;
    else this.offsetMs += ms;
  }

  /** Back to how it was constructed: frozen at the start instant, or running at the source's time. */
  restart(): void {
    this.offsetMs = 0;
    this.frozenAtMs = this.initialFrozenAt;
  }

  state(): ClockState {
    return { now: this.now().toISOString(), frozen: this.frozen };
  }
}

/** A clock that stands still until moved; for tests and deterministic runs. */
export class ManualClock extends ControllableClock {
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    super({ frozenAt: start });
  }
}

/**
 * The clock the app runs on: a controllable one as given, any other clock
 * wrapped (so `/_emulator/clock` can still move it), or a new one that follows
 * the machine's time, frozen at `frozenAt` when that is given.
 */
export function controllableClock(given: Clock | undefined, frozenAt: string | null): ControllableClock {
  if (given instanceof ControllableClock) return given;
  if (given) return new ControllableClock({ source: () => given.now().getTime(), ...(frozenAt ? { frozenAt } : {}) });
  return new ControllableClock(frozenAt ? { frozenAt } : {});
}

function instantOf(at: Date | string): number {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}`);
  return ms;
}

/**
 * An ISO-8601 instant as scripts write one: a date, or a date and time with
 * `Z` or an offset (a time without a zone would depend on the machine's).
 */
export function parseIsoInstant(text: string): Date | null {
  const iso = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;
  if (!iso.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}
