import { createHash, randomInt } from 'node:crypto';
import { randomIdGenerator, type IdGenerator } from './ids.js';

/** Where chance comes from: identifiers, secrets, RequestIds, and probabilistic faults. */
export interface RandomSource {
  /** Identifiers, secrets and RequestIds. */
  readonly ids: IdGenerator;
  /** A number in [0, 1), for faults with a probability. */
  draw(): number;
  /** The seed, or null when nothing is seeded. */
  readonly seed: number | null;
  /** Starts the seeded sequences over, as at start-up (a reset); nothing to do unseeded. */
  reseed(): void;
}

/** The default: the operating system's CSPRNG, as the real service's secrets need. */
export function systemRandom(): RandomSource {
  return {
    ids: randomIdGenerator,
    draw: () => randomInt(2 ** 47) / 2 ** 47,
    seed: null,
    reseed: () => undefined,
  };
}

/**
 * `--seed <n>`: every identifier, secret and RequestId, and every fault
 * probability draw, comes from sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, passes PractRand) seeded from n. Two
 * independent streams, so a probabilistic fault never shifts the IDs that
 * follow it. Not for real secrets: anyone knowing the seed knows them.
 */
export function seededRandom(seed: number): RandomSource {
  let idStream = sfc32(seed, 'ids');
  let faultStream = sfc32(seed, 'faults');
  return {
    ids: seededIdGenerator(() => idStream()),
    draw: () => faultStream(),
    seed,
    reseed: () => {
      idStream = sfc32(seed, 'ids');
      faultStream = sfc32(seed, 'faults');
    },
  };
}

/** The random source an app runs on: seeded when a seed is configured. */
export function randomSource(seed: number | null): RandomSource {
  return seed === null ? systemRandom() : seededRandom(seed);
}

/**
 * sfc32 with its 128-bit state taken from SHA-256(`seed/stream`), so nearby
 * seeds give unrelated sequences. Returns numbers in [0, 1) with 32 bits each.
 */
export function sfc32(seed: number, stream: string): () => number {
  const digest = createHash('sha256').update(`tencentcloud-emulator/${seed}/${stream}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The usual warm-up: the first outputs still resemble the seed.
  for (let i = 0; i < 12; i += 1) next();
  return next;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Identifiers shaped exactly like the random ones, drawn from `next` (numbers in [0, 1)). */
export function seededIdGenerator(next: () => number): IdGenerator {
  const bytes = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) out[i] = Math.floor(next() * 256);
    return out;
  };
  return {
    requestId: () => {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    resourceId: (prefix, length) => {
      let id = prefix;
      for (let i = 0; i < length; i += 1) id += LOWER_ALNUM[Math.floor(next() * LOWER_ALNUM.length)];
      return id;
    },
    secret: (n) => bytes(n).toString('base64'),
  };
}
