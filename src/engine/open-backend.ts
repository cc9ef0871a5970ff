import type { Backend } from './backend.js';
import { InvalidEngineUrlError } from './errors.js';

/**
 * `sqlite:<path>` (the default, embedded) or `nats://host:port[,host:port]`
 * (a JetStream cluster). The NATS client is imported only when asked for.
 */
export async function openBackend(
  url: string,
  options: { cwd?: string; name?: string } = {},
): Promise<Backend> {
  if (url.startsWith('sqlite:')) {
    const { resolve } = await import('node:path');
    const { SqliteBackend } = await import('./sqlite/sqlite-backend.js');
    const path = url.slice('sqlite:'.length);
    return new SqliteBackend(path === ':memory:' ? path : resolve(options.cwd ?? process.cwd(), path));
  }
  if (url.startsWith('nats://') || url.startsWith('tls://')) {
    const { NatsBackend } = await import('./nats/nats-backend.js');
    return NatsBackend.connect(url, options.name === undefined ? {} : { name: options.name });
  }
  throw new InvalidEngineUrlError(url);
}
