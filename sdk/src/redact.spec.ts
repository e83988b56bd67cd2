import { isCredentialName, REDACTED, redactText, redactUrl } from './redact';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IiLCJhdWQiOlsiZmFzdGFwaS11c2VyczphdXRoIl19.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const API_TOKEN = 'mst_Abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFG';

describe('redactText', () => {
  it('redacts JWT-shaped strings and mst_ API tokens', () => {
    const out = redactText(`token ${JWT} and ${API_TOKEN}.`);
    expect(out).toBe(`token ${REDACTED} and ${REDACTED}.`);
  });
  it('redacts Authorization values and bearer schemes', () => {
    expect(redactText('Authorization: Bearer abc.def')).not.toContain('abc.def');
    expect(redactText('{"authorization":"Basic dXNlcjpwdw=="}')).not.toContain('dXNlcjpwdw');
  });
  it('redacts URL userinfo and credential pairs in text', () => {
    const out = redactText('GET http://bob:hunter22@h/x?token=s3cr3t&kind=job password=pw123 "password": "pw456"');
    expect(out).not.toMatch(/hunter22|s3cr3t|pw123|pw456/);
    expect(out).toContain('kind=job');
  });
  it('redacts exact secrets given by the caller', () => {
    expect(redactText('echo opaque-secret-value', ['opaque-secret-value'])).toBe(`echo ${REDACTED}`);
  });
  it('leaves ordinary text alone', () => {
    const text = 'Transition not allowed with state: done; data.kernel_revision.tree=mainline';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactUrl', () => {
  it('removes userinfo and credential-like query parameters', () => {
    const out = redactUrl('https://alice:pw@h/latest/nodes?kind=job&token=abc&api_key=k&X-Amz-Signature=s&access_token=t');
    expect(out).toBe('https://h/latest/nodes?kind=job');
  });
  it('redacts tokens elsewhere in the URL', () => {
    expect(redactUrl(`http://h/latest/x/${JWT}`)).toBe(`http://h/latest/x/${REDACTED}`);
  });
  it('treats relative URLs as text', () => {
    expect(redactUrl('/latest/nodes?password=x')).toBe(`/latest/nodes?password=${REDACTED}`);
  });
  it('recognises credential parameter names', () => {
    for (const n of ['token', 'password', 'api_key', 'apiKey', 'client_secret', 'X-Amz-Signature', 'sig', 'Authorization']) {
      expect(isCredentialName(n)).toBe(true);
    }
    for (const n of ['kind', 'state', 'data.kernel_revision.tree', 'idempotency_key', 'limit']) {
      expect(isCredentialName(n)).toBe(false);
    }
  });
});
