const MIN_SECRET_LENGTH = 6;
/** Key shapes that are secrets wherever they appear: OpenAI-style and Swarm keys, bearer tokens. */
const KEY_PATTERN =
  /\b(sk-[A-Za-z0-9_-]{2,}[.-][A-Za-z0-9_.-]{8,}|sk-[A-Za-z0-9]{20,})|(Bearer\s+)[^\s"'\\]{8,}/g;
const SECRET_HEADER = /auth|key|token|secret|cookie/i;
export const REDACTED = '[redacted]';

/**
 * Removes secrets from text that leaves the server: the values of the
 * environment variables that hold provider keys, the server's own key, and
 * anything shaped like an API key. Applied to every JSON body and SSE frame,
 * because tool arguments and model errors may echo what they were given.
 */
export class Redactor {
  private readonly values: string[];

  constructor(secrets: Iterable<string>) {
    const all = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      all.add(secret);
      // the same value as it appears inside a JSON string
      all.add(JSON.stringify(secret).slice(1, -1));
    }
    // longest first, so a secret containing another is replaced whole
    this.values = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out.replace(KEY_PATTERN, (_match, _key: string | undefined, bearer: string | undefined) =>
      bearer ? `${bearer}${REDACTED}` : REDACTED,
    );
  }
}

/** The secret values a config points at: provider keys named by `apiKeyEnv`, and provider header values. */
export function secretsOf(
  providers: Record<string, { apiKeyEnv?: string | undefined; headers?: Record<string, string> | undefined }>,
  env: NodeJS.ProcessEnv,
  extraEnvNames: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const provider of Object.values(providers)) {
    const value = provider.apiKeyEnv ? env[provider.apiKeyEnv] : undefined;
    if (value) out.push(value);
    for (const [name, value] of Object.entries(provider.headers ?? {})) {
      if (SECRET_HEADER.test(name)) out.push(value.replace(/^Bearer\s+/i, ''));
    }
  }
  for (const name of extraEnvNames) {
    const value = env[name];
    if (value) out.push(value);
  }
  return out;
}
