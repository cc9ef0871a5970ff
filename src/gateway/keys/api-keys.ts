import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sk-swarm-';

export interface NewKey {
  /** The key to hand to the client, shown once. */
  key: string;
  /** What goes in the gateway config: `sha256:<salt>:<digest>`. */
  hash: string;
}

/**
 * Makes a key `sk-swarm-<id>.<secret>` with 256 random bits of secret. Only
 * a salted SHA-256 of the secret is stored: with that much entropy a slow
 * hash adds nothing, and SHA-256 keeps checking a key per request cheap.
 */
export function newApiKey(id: string): NewKey {
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return { key: `${PREFIX}${id}.${secret}`, hash: `sha256:${salt}:${digest(salt, secret).toString('hex')}` };
}

/** Splits a presented key into its id and secret, or undefined when it is not a gateway key. */
export function splitApiKey(key: string): { id: string; secret: string } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const dot = key.lastIndexOf('.');
  if (dot <= PREFIX.length || dot === key.length - 1) return undefined;
  return { id: key.slice(PREFIX.length, dot), secret: key.slice(dot + 1) };
}

/** Parses a stored `sha256:<salt>:<hex>` once, so each check is one hash and one comparison. */
export function parseStoredHash(stored: string): { salt: string; digest: Buffer } {
  const [, salt = '', hex = ''] = stored.split(':');
  return { salt, digest: Buffer.from(hex, 'hex') };
}

/** Constant-time comparison of the secret's salted digest with the stored one. */
export function secretMatches(secret: string, stored: { salt: string; digest: Buffer }): boolean {
  const given = digest(stored.salt, secret);
  return given.length === stored.digest.length && timingSafeEqual(given, stored.digest);
}

/** The bearer token of an Authorization header (or an `api-key` header, as Azure clients send). */
export function presentedKey(
  authorization: string | undefined,
  apiKey: string | string[] | undefined,
): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

function digest(salt: string, secret: string): Buffer {
  return createHash('sha256').update(salt).update('\0').update(secret).digest();
}
