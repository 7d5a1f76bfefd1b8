/**
 * What the request journal (and so the dashboard) shows of a request:
 * secrets are redacted by attribute wherever they appear (issue 21 D12).
 */
import { REDACTED, redact } from '../../src/control/redact.js';

const SECRETS = {
  scimBody: 's3cret-body-password',
  patchPath: 's3cret-patch-path',
  patchFilter: 's3cret-patch-filter',
  patchUrn: 's3cret-patch-urn',
  patchValue: 's3cret-patch-value',
  apiSecretKey: 's3cret-api-secretkey',
  apiToken: 's3cret-api-token',
  apiCredential: 's3cret-api-credentialsecret',
  flattened: 's3cret-flattened-password',
  bearer: 'Bearer s3cret-bearer-value',
};

test('one planted secret of each kind appears nowhere in what the journal keeps', () => {
  const requests = [
    { userName: 'a', password: SECRETS.scimBody },
    {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'password', value: SECRETS.patchPath },
        { op: 'replace', path: 'emails[type eq "work"].password', value: SECRETS.patchFilter },
        { op: 'Replace', Path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', Value: SECRETS.patchUrn },
        { op: 'replace', value: { password: SECRETS.patchValue, active: true } },
      ],
    },
    { SecretKey: SECRETS.apiSecretKey, Token: SECRETS.apiToken, Nested: [{ CredentialSecret: SECRETS.apiCredential }] },
    { 'Users.0.Password': SECRETS.flattened, Note: SECRETS.bearer },
  ];
  const shown = JSON.stringify(requests.map((r) => redact(r)));
  for (const secret of Object.values(SECRETS)) expect(shown).not.toContain(secret.replace(/^Bearer /, ''));
  expect(shown).toContain(REDACTED);
});

test('what is not a secret is kept: identifiers, paths, flags beside a secret name, other PATCH values', () => {
  const shown = redact({
    SecretId: 'AKIDvisible',
    NextToken: 'page-2',
    NeedResetPassword: true,
    Operations: [
      { op: 'replace', path: 'displayName', value: 'Visible Name' },
      { op: 'replace', path: 'password', value: 'hidden' },
    ],
  });
  expect(shown).toEqual({
    SecretId: 'AKIDvisible',
    NextToken: 'page-2',
    NeedResetPassword: true,
    Operations: [
      { op: 'replace', path: 'displayName', value: 'Visible Name' },
      { op: 'replace', path: 'password', value: REDACTED },
    ],
  });
});
