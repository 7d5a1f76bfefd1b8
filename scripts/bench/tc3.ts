import { createHash, createHmac } from 'node:crypto';

/** The demo account of fixtures/default.json, which owns z-emulatordemo. */
export const DEMO_CREDENTIAL = {
  secretId: 'AKIDEMULATORDEMO00000000000000000001',
  secretKey: 'EmulatorDemoSecretKey000000000001',
} as const;

export const API_VERSION = '2021-03-31';
const SERVICE = 'organization';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Headers of a TC3-HMAC-SHA256 signed API 3.0 POST, as the official SDKs send
 * it (content-type and host signed). `host` must be what goes on the wire.
 */
export function signedApiHeaders(
  action: string,
  body: string,
  host: string,
  credential: { secretId: string; secretKey: string } = DEMO_CREDENTIAL,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const date = now.toISOString().slice(0, 10);
  const contentType = 'application/json';
  const canonicalRequest = ['POST', '/', '', `content-type:${contentType}\nhost:${host}\n`, 'content-type;host', sha256Hex(body)].join('\n');
  const scope = `${date}/${SERVICE}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${credential.secretKey}`, date), SERVICE), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    Host: host,
    'Content-Type': contentType,
    'X-TC-Action': action,
    'X-TC-Version': API_VERSION,
    'X-TC-Timestamp': String(timestamp),
    Authorization: `TC3-HMAC-SHA256 Credential=${credential.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}
