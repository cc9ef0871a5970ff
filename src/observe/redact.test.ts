import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from './redact.js';

describe('SecretRedactor', () => {
  const r = new SecretRedactor(['hunter2-long-secret']);

  it('removes known secret shapes from text', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def.ghi123', `Authorization: ${REDACTED}`],
      ['curl -H "authorization: Basic dXNlcjpwYXNzd29yZA=="', `curl -H "authorization: ${REDACTED}"`],
      ['key sk-proj-AbCdEf0123456789xyz used', `key ${REDACTED} used`],
      ['gateway key sk-swarm-k1.s3cr3tv4lu3', `gateway key ${REDACTED}`],
      ['{"api_key":"abcd1234efgh"}', `{"api_key":"${REDACTED}"}`],
      ['OPENAI_API_KEY=whatever-it-is', `OPENAI_API_KEY=${REDACTED}`],
      ['password: correct-horse', `password: ${REDACTED}`],
      ['aws AKIAIOSFODNN7EXAMPLE here', `aws ${REDACTED} here`],
      ['token ghp_0123456789abcdefghijABCDEFGHIJ', `token ${REDACTED}`],
      ['the value hunter2-long-secret leaked', `the value ${REDACTED} leaked`],
    ];
    for (const [input, expected] of cases) expect(r.text(input), input).toBe(expected);
  });

  it('leaves ordinary text alone, including token counts', () => {
    for (const text of ['max_tokens: 4096', 'inputTokens=120', 'read src/tokens.ts', 'the task was done']) {
      expect(r.text(text)).toBe(text);
    }
  });

  it('redacts deeply and replaces values under secret-named keys', () => {
    const input = {
      headers: { Authorization: 'Token xyz', 'x-api-key': 'abc', accept: 'json' },
      nested: [{ note: 'uses sk-ant-0123456789abcdef' }],
      count: 3,
    };
    expect(r.value(input)).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      nested: [{ note: `uses ${REDACTED}` }],
      count: 3,
    });
    expect(input.headers.Authorization).toBe('Token xyz');
  });

  it('learns secrets from secret-looking environment variables and named key variables', () => {
    const env = {
      MY_SERVICE_TOKEN: 'tok-1234567890',
      PROVIDER_CRED: 'abcdefghijkl',
      HOME: '/home/user-long',
    };
    const fromEnv = SecretRedactor.fromEnvironment(env, ['PROVIDER_CRED']);
    expect(fromEnv.text('a tok-1234567890 b abcdefghijkl c /home/user-long')).toBe(
      `a ${REDACTED} b ${REDACTED} c /home/user-long`,
    );
  });
});
