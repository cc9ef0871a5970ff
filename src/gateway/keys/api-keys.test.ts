import { describe, expect, it } from 'vitest';
import { newApiKey, parseStoredHash, presentedKey, secretMatches, splitApiKey } from './api-keys.js';

describe('API keys', () => {
  it('makes keys whose secret matches only the stored salted hash', () => {
    const a = newApiKey('team-a');
    const b = newApiKey('team-a');
    expect(a.key).toMatch(/^sk-swarm-team-a\.[\w-]{43}$/);
    expect(a.hash).toMatch(/^sha256:[\w-]{22}:[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.key.split('.')[1]);
    // Same id, different salt and secret.
    expect(a.hash).not.toBe(b.hash);
    const parts = splitApiKey(a.key);
    expect(parts?.id).toBe('team-a');
    expect(secretMatches(parts?.secret ?? '', parseStoredHash(a.hash))).toBe(true);
    expect(secretMatches(splitApiKey(b.key)?.secret ?? '', parseStoredHash(a.hash))).toBe(false);
    expect(secretMatches('', parseStoredHash(a.hash))).toBe(false);
  });

  it('reads the key from Authorization or api-key, and rejects other shapes', () => {
    expect(presentedKey('Bearer sk-swarm-x.y', undefined)).toBe('sk-swarm-x.y');
    expect(presentedKey(undefined, 'sk-swarm-x.y')).toBe('sk-swarm-x.y');
    expect(presentedKey('Basic abc', undefined)).toBeUndefined();
    expect(splitApiKey('sk-other.y')).toBeUndefined();
    expect(splitApiKey('sk-swarm-.y')).toBeUndefined();
    expect(splitApiKey('sk-swarm-x.')).toBeUndefined();
  });
});
