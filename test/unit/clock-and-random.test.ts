import { ControllableClock, ManualClock, controllableClock, parseIsoInstant, systemClock } from '../../src/runtime/clock.js';
import { seededRandom, sfc32, systemRandom } from '../../src/runtime/random.js';
import { configFromArgs } from '../../src/config.js';

describe('ControllableClock', () => {
  test('running, it follows its source; frozen, it stands; unfrozen, it continues without a jump', () => {
    let source = 1_000_000;
    const clock = new ControllableClock({ source: () => source });
    expect(clock.now().getTime()).toBe(1_000_000);
    source += 500;
    expect(clock.now().getTime()).toBe(1_000_500);
    clock.freeze();
    source += 10_000;
    expect(clock.now().getTime()).toBe(1_000_500);
    clock.unfreeze();
    expect(clock.now().getTime()).toBe(1_000_500);
    source += 1;
    expect(clock.now().getTime()).toBe(1_000_501);
  });

  test('restart goes back to how it was made', () => {
    const frozen = new ControllableClock({ frozenAt: '2026-01-01T00:00:00Z' });
    frozen.advance(60);
    frozen.unfreeze();
    frozen.restart();
    expect(frozen.state()).toEqual({ now: '2026-01-01T00:00:00.000Z', frozen: true });

    let source = 5000;
    const running = new ControllableClock({ source: () => source });
    running.set('2030-01-01T00:00:00Z');
    running.restart();
    source = 6000;
    expect(running.state()).toEqual({ now: new Date(6000).toISOString(), frozen: false });
  });

  test('ManualClock is one that starts frozen', () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    clock.advance(1.5);
    expect(clock.state()).toEqual({ now: '2026-03-01T00:00:01.500Z', frozen: true });
  });

  test('the app wraps a plain clock so it can still be moved, and keeps a controllable one as it is', () => {
    const manual = new ManualClock();
    expect(controllableClock(manual, null)).toBe(manual);
    const wrapped = controllableClock({ now: () => new Date('2026-01-01T00:00:00Z') }, null);
    wrapped.advance(10);
    expect(wrapped.now().toISOString()).toBe('2026-01-01T00:00:10.000Z');
    const fresh = controllableClock(undefined, '2027-01-01T00:00:00.000Z');
    expect(fresh.state()).toEqual({ now: '2027-01-01T00:00:00.000Z', frozen: true });
    expect(Math.abs(controllableClock(undefined, null).now().getTime() - systemClock.now().getTime())).toBeLessThan(1000);
  });

  test.each([
    ['2026-01-01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T08:00:00+08:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.123Z', '2026-01-01T00:00:00.123Z'],
    ['2026-01-01T00:00Z', '2026-01-01T00:00:00.000Z'],
  ])('parseIsoInstant(%s)', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  test.each(['2026-01-01T00:00:00', 'tomorrow', '1767225600', '2026-13-01', ''])('parseIsoInstant refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeNull();
  });
});

describe('seeded randomness', () => {
  test('the same seed gives the same sequence; another seed another', () => {
    const a = sfc32(1, 'ids');
    const b = sfc32(1, 'ids');
    const c = sfc32(2, 'ids');
    const take = (next: () => number) => Array.from({ length: 8 }, next);
    const first = take(a);
    expect(take(b)).toEqual(first);
    expect(take(c)).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  test('identifiers have the shapes of the random ones; reseed starts over; fault draws do not shift IDs', () => {
    const random = seededRandom(42);
    const requestId = random.ids.requestId();
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = random.ids.resourceId('scimcred-', 12);
    expect(id).toMatch(/^scimcred-[a-z0-9]{12}$/);
    expect(Buffer.from(random.ids.secret(32), 'base64')).toHaveLength(32);

    const other = seededRandom(42);
    other.draw();
    other.draw();
    expect(other.ids.requestId()).toBe(requestId);

    random.reseed();
    expect(random.ids.requestId()).toBe(requestId);
    expect(systemRandom().seed).toBeNull();
  });

  test('a rough uniformity check: 10,000 draws fill ten buckets evenly', () => {
    const next = sfc32(7, 'faults');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) buckets[Math.floor(next() * 10)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(900);
  });
});

describe('flags', () => {
  test('--seed, --clock, --rate-limits and --control-token reach the config, and environment variables too', () => {
    const config = configFromArgs(['--seed', '42', '--clock', '2026-01-01T08:00:00+08:00', '--rate-limits', '--control-token', 'a-long-enough-token'], {});
    expect(config).toMatchObject({ seed: 42, clock: '2026-01-01T00:00:00.000Z', rateLimits: true, controlToken: 'a-long-enough-token' });
    const fromEnv = configFromArgs([], { TCE_SEED: '7', TCE_CLOCK: '2026-02-01', TCE_RATE_LIMITS: 'false', TCE_CONTROL_TOKEN: 'another-long-token-x' });
    expect(fromEnv).toMatchObject({ seed: 7, clock: '2026-02-01T00:00:00.000Z', rateLimits: false, controlToken: 'another-long-token-x' });
    expect(configFromArgs([], {})).toMatchObject({ seed: null, clock: null, rateLimits: false, controlToken: null });
  });
});
