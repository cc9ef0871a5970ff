import { describe, expect, it } from 'vitest';
import { isLoopback, urlHost } from './listen-address.js';

describe('listen addresses', () => {
  it('knows loopback hosts from the rest', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.0.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.example.com']) {
      expect(isLoopback(host)).toBe(false);
    }
  });

  it('gives a dialable URL host for wildcard and IPv6 binds', () => {
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('::')).toBe('[::1]');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
