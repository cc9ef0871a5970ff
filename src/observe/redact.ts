/** What a secret is replaced with, so readers see that something was there. */
export const REDACTED = '[REDACTED]';

/** Environment variable names whose values are secrets wherever they show up. */
const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
/** Shorter values would match ordinary words and numbers. */
const MIN_SECRET_LENGTH = 8;

/**
 * Secret shapes found in text: bearer and basic credentials (an
 * Authorization header or its value), `sk-…` keys (OpenAI, Anthropic and
 * Swarm's own `sk-swarm-…`), GitHub, Slack, AWS and Google keys, and `key=value`
 * pairs whose key names a secret (api_key, token, password…).
 */
const KEEPING_NAME =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)[^"'\r\n,}]+|\b([\w-]*(?:api[_-]?key|apikey|secret(?:[_-]?key)?|token|password|passwd))(?![\w-])(["']?\s*[:=]\s*["']?)[^\s"',;&}]{4,}/gi;
const WHOLE =
  /\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}|\bsk-[A-Za-z0-9_.-]{8,}|\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}\b/gi;
/** Text with none of these cannot hold a shape above: most text skips the full patterns. */
const TRIGGER = /sk-|bearer|basic|auth|key|secret|token|passw|gh[pousr]_|github_pat|xox|akia|aiza/i;

/**
 * Removes secrets from anything that leaves the process or is stored for
 * people to read: span attributes, audit records, stored event payloads.
 * Besides the known shapes it removes the exact values of secrets it was told
 * about (API keys named in the config, secret-looking environment variables),
 * which catches keys of any format.
 */
export class SecretRedactor {
  private readonly values: string[];

  constructor(secrets: Iterable<string> = []) {
    const unique = new Set<string>();
    for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) unique.add(s);
    // longest first, so a key that contains another is removed whole
    this.values = [...unique].sort((a, b) => b.length - a.length);
  }

  /** The exact values it removes (to combine redactors). */
  get secrets(): readonly string[] {
    return this.values;
  }

  /** A redactor that knows the secret-looking variables of `env` and the named `keyEnvs`. */
  static fromEnvironment(
    env: NodeJS.ProcessEnv = process.env,
    keyEnvs: Iterable<string> = [],
  ): SecretRedactor {
    const secrets: string[] = [];
    const named = new Set(keyEnvs);
    for (const [name, value] of Object.entries(env)) {
      if (value && (named.has(name) || SECRET_ENV_NAME.test(name))) secrets.push(value);
    }
    return new SecretRedactor(secrets);
  }

  text(input: string): string {
    let out = input;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    if (out.length < MIN_SECRET_LENGTH || !TRIGGER.test(out)) return out;
    out = out.replace(WHOLE, REDACTED);
    return out.replace(
      KEEPING_NAME,
      (_, header: string | undefined, headerSep: string, name: string, sep: string) =>
        header === undefined ? `${name}${sep}${REDACTED}` : `${header}${headerSep}${REDACTED}`,
    );
  }

  /** A deep copy with every string redacted, and every value under a secret-named key replaced. */
  value<T>(input: T): T {
    return this.walk(input, 0) as T;
  }

  private walk(input: unknown, depth: number): unknown {
    if (typeof input === 'string') return this.text(input);
    if (input === null || typeof input !== 'object' || depth > 32) return input;
    if (Array.isArray(input)) return input.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      out[key] = isSecretKey(key) && value !== null && value !== '' ? REDACTED : this.walk(value, depth + 1);
    }
    return out;
  }
}

const SECRET_KEY =
  /^(authorization|proxy-authorization|x-api-key|api[_-]?key|apikey|password|passwd|secret|token|access[_-]?token|refresh[_-]?token|client[_-]?secret|cookie|set-cookie)$/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
