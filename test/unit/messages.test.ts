import { MESSAGES } from '../../src/errors/messages.js';
import { ok, errorCode, testEmulator } from '../helpers/api.js';

/** Identifiers that stay as they are in Chinese text: protocol names, parameter and header names, enum values. */
const IDENTIFIERS = new Set(
  'API UTC Action Authorization CIC Content-Type Disabled Enabled EncodedMetadataDocument EntityId ExpireDuration GET HTTP HmacSHA1 HmacSHA256 JSON LoginUrl Manual MaxResults NextToken OpenIdentityCenter POST RequestId SAML SCIM SKIP SSO SSOStatus SecretId SecretKey SetExternalSAMLIdentityProvider Signature SignatureMethod Synchronized TC3-HMAC-SHA256 Timestamp Unix Version X-TC-Action X-TC-Timestamp X-TC-Version X.509 XML application base64 fixtures http:// https:// json permissive strict URL UTF-8 v1 x-www-form-urlencoded PEM X509Certificate http https'.split(
    ' ',
  ),
);
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe('every error message has an English and a Chinese text, each in one language', () => {
  test.each(Object.entries(MESSAGES))('%s', (_key, message) => {
    expect(message.en.trim()).not.toBe('');
    expect(message.zh.trim()).not.toBe('');
    expect(message.en).not.toMatch(CJK);
    expect(message.zh).toMatch(CJK);
    // Outside `quoted` names and {placeholders}, the Chinese text holds no English words.
    const prose = message.zh.replace(/`[^`]*`/g, '').replace(/\{\w+\}/g, '');
    const words = (prose.match(/[A-Za-z][A-Za-z0-9.\-_]*/g) ?? []).filter((w) => !IDENTIFIERS.has(w));
    expect(words).toEqual([]);
  });
});

describe('list parameter errors are in the caller’s language only', () => {
  test.each([
    [{ SortField: 'Name' }, 'CreateTime'],
    [{ SortType: 'Up' }, 'Asc | Desc'],
    [{ UserStatus: 'Maybe' }, 'Enabled | Disabled'],
    [{ MaxResults: 100, Offset: -1 }, '0..'],
  ])('ListUsers %j in zh-CN', async (params, allowed) => {
    const emu = await testEmulator();
    try {
      const res = await emu.call('ListUsers', { ZoneId: 'z-testzone0001', ...params }, { 'X-TC-Language': 'zh-CN' });
      expect(errorCode(res)).toMatch(/^InvalidParameter/);
      const message = (res.body as { Response: { Error: { Message: string } } }).Response.Error.Message;
      expect(message).toMatch(CJK);
      expect(message).toContain(allowed);
      expect(message).not.toMatch(/must|supports|integer|only/);
    } finally {
      await emu.close();
    }
  });

  test('the same in en-US has no Chinese', async () => {
    const emu = await testEmulator();
    try {
      const res = await emu.call('ListUsers', { ZoneId: 'z-testzone0001', SortField: 'Name' });
      expect((res.body as { Response: { Error: { Message: string } } }).Response.Error.Message).toBe(
        'The parameter `SortField` is invalid: use CreateTime.',
      );
      ok(await emu.call('ListUsers', { ZoneId: 'z-testzone0001' }));
    } finally {
      await emu.close();
    }
  });
});
