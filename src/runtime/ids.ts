import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Every identifier and secret is made here, so tests can inject a predictable source. */
export interface IdGenerator {
  /** RequestId of a response: a UUID v4. */
  requestId(): string;
  /** `prefix` followed by `length` random lowercase letters/digits, the real service's ID style. */
  resourceId(prefix: string, length: number): string;
  /** A bearer secret with at least `bytes` * 8 bits of entropy, base64 encoded. */
  secret(bytes: number): string;
}

export const randomIdGenerator: IdGenerator = {
  // node:crypto's randomUUID draws from a cached entropy pool; the uuid package costs ~40 ms to import.
  requestId: () => randomUUID(),
  resourceId: (prefix, length) => {
    let id = prefix;
    for (let i = 0; i < length; i += 1) id += LOWER_ALNUM[randomInt(LOWER_ALNUM.length)];
    return id;
  },
  secret: (bytes) => randomBytes(bytes).toString('base64'),
};

/** Counts up instead of drawing randomly: stable IDs for tests and snapshots. */
export function sequentialIdGenerator(): IdGenerator {
  let n = 0;
  const next = () => (n += 1);
  return {
    requestId: () => {
      const hex = next().toString(16).padStart(12, '0');
      return `00000000-0000-4000-8000-${hex}`;
    },
    resourceId: (prefix, length) => prefix + next().toString(36).padStart(length, '0'),
    secret: (bytes) => Buffer.alloc(bytes, next() % 256).toString('base64'),
  };
}
