/**
 * Just enough DER reading for what node:crypto's X509Certificate does not
 * expose: the version, the signature algorithm OID and the raw names (so the
 * issuer and subject can be printed the way the real service prints them).
 */

/** One DER TLV: its tag byte, its contents and where it ends. */
export interface DerValue {
  readonly tag: number;
  /** The whole TLV (tag, length and contents), e.g. to hex-dump a value. */
  readonly encoded: Buffer;
  readonly contents: Buffer;
}

/** The tags read here, by their DER byte. */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  oid: 0x06,
  utf8String: 0x0c,
  numericString: 0x12,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
  contextExplicit0: 0xa0,
} as const;

/** The bytes are not the DER the caller expected. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Reads the TLV that starts at `offset`. */
export function readDer(buf: Buffer, offset = 0): DerValue {
  if (offset + 2 > buf.length) throw new DerError('truncated DER value');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not used in certificates');
  let length = buf[offset + 1]!;
  let headerLength = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('indefinite or oversized DER length');
    if (offset + 2 + octets > buf.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + buf[offset + 2 + i]!;
    headerLength += octets;
  }
  const end = offset + headerLength + length;
  if (end > buf.length) throw new DerError('DER value runs past its container');
  return {
    tag,
    encoded: buf.subarray(offset, end),
    contents: buf.subarray(offset + headerLength, end),
  };
}

/** The TLVs inside a constructed value (SEQUENCE, SET, explicit tag). */
export function derChildren(value: DerValue): DerValue[] {
  const out: DerValue[] = [];
  let offset = 0;
  while (offset < value.contents.length) {
    const child = readDer(value.contents, offset);
    out.push(child);
    offset += child.encoded.length;
  }
  return out;
}

/** Reads `value` expecting `tag`, so a wrong structure fails loudly instead of misreading. */
export function expectTag(value: DerValue | undefined, tag: number, what: string): DerValue {
  if (!value || value.tag !== tag) throw new DerError(`expected ${what}`);
  return value;
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(contents: Buffer): string {
  if (contents.length === 0) throw new DerError('empty OID');
  const arcs: bigint[] = [];
  let current = 0n;
  for (const byte of contents) {
    current = (current << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(current);
      current = 0n;
    }
  }
  const first = arcs.shift()!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** A DER INTEGER as a signed BigInt (serial numbers can exceed 2^53). */
export function decodeInteger(contents: Buffer): bigint {
  if (contents.length === 0) throw new DerError('empty INTEGER');
  let value = BigInt(`0x${contents.toString('hex')}`);
  if (contents[0]! & 0x80) value -= 1n << BigInt(contents.length * 8);
  return value;
}

/** UTCTime or GeneralizedTime (the two X.509 Time forms, always in UTC 'Z') as a Date. */
export function decodeTime(value: DerValue): Date {
  const text = value.contents.toString('latin1');
  const match =
    value.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : value.tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError(`unsupported certificate time ${JSON.stringify(text)}`);
  let year = Number(match[1]);
  // RFC 5280 4.1.2.5.1: a two-digit year YY >= 50 is 19YY, else 20YY.
  if (value.tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
}

/** The text of an ASN.1 string type, or undefined for a non-string value. */
export function decodeString(value: DerValue): string | undefined {
  switch (value.tag) {
    case TAG.utf8String:
      return value.contents.toString('utf8');
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.numericString:
    case TAG.visibleString:
    case TAG.t61String:
      return value.contents.toString('latin1');
    case TAG.bmpString:
      return Buffer.from(value.contents).swap16().toString('utf16le');
    case TAG.universalString: {
      let text = '';
      for (let i = 0; i + 3 < value.contents.length; i += 4) text += String.fromCodePoint(value.contents.readUInt32BE(i));
      return text;
    }
    default:
      return undefined;
  }
}
