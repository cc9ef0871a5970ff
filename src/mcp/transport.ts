import { resolve } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpTransportSpec } from './server-spec.js';

const OUTPUT_TAIL = 2_000;

export interface OpenedTransport {
  transport: Transport;
  /** The child's pid once started (stdio only). */
  pid(): number | undefined;
  /** The last lines the child wrote to stderr, with secret values blanked. */
  outputTail(): string;
}

/**
 * Builds the SDK transport for a spec. A stdio child gets the SDK's minimal
 * inherited environment plus the spec's `env`, never the whole parent
 * environment; its stderr is always drained (a full pipe would block it) and
 * only a short tail is kept, for start errors.
 */
export function openTransport(spec: McpTransportSpec, root: string): OpenedTransport {
  if (spec.kind === 'http') {
    return {
      transport: new StreamableHTTPClientTransport(new URL(spec.url), {
        requestInit: { headers: spec.headers },
        // The pool owns reconnection; the transport's own SSE retries would hide a dead server.
        reconnectionOptions: {
          maxReconnectionDelay: 1_000,
          initialReconnectionDelay: 200,
          reconnectionDelayGrowFactor: 2,
          maxRetries: 0,
        },
      }),
      pid: () => undefined,
      outputTail: () => '',
    };
  }
  const transport = new StdioClientTransport({
    command: spec.command,
    args: spec.args,
    env: spec.env,
    cwd: resolve(root, spec.cwd ?? '.'),
    stderr: 'pipe',
  });
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  });
  const secrets = Object.values(spec.env).filter((v) => v.length >= 6);
  return {
    transport,
    pid: () => transport.pid ?? undefined,
    outputTail: () => secrets.reduce((text, secret) => text.split(secret).join('***'), tail),
  };
}
