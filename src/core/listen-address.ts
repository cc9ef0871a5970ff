/**
 * Whether a host to bind or a peer address is this machine only. Every
 * server Swarm starts (gateway, simulator, HTTP API, MCP) refuses anything
 * else unless the user configured it, so this one rule decides for all.
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host part of a URL a client can dial for a server bound to `host`. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
