import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../core/errors.js';
import {
  McpCallTimeoutError,
  McpCapabilityError,
  McpConnectionLostError,
  McpInitializeTimeoutError,
  McpProtocolError,
  McpStartError,
  McpUnavailableError,
} from './errors.js';
import type { McpServerSpec } from './server-spec.js';
import { listAllTools, type ToolListing } from './tool-listing.js';
import { type OpenedTransport, openTransport } from './transport.js';

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'failed' | 'closed';

export interface ConnectionOptions {
  root: string;
  initializeMs: number;
  callMs: number;
  reconnect: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  clientVersion: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface Live {
  client: Client;
  opened: OpenedTransport;
}

/**
 * One MCP server: the initialize handshake (bounded), a capability check,
 * the tool list kept current through `notifications/tools/list_changed`,
 * and reconnection with exponential back-off when the server dies. A call in
 * flight when the connection drops fails with McpConnectionLostError; a
 * later call waits for the reconnect (within its own timeout).
 */
export class McpConnection {
  state: ConnectionState = 'idle';
  lastError: Error | undefined;
  listing: ToolListing = { tools: [], malformed: [] };
  serverInfo: { name: string; version: string } | undefined;
  reconnects = 0;
  private live: Live | undefined;
  private ready: Promise<Live> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly stopping = new AbortController();

  constructor(
    readonly spec: McpServerSpec,
    private readonly options: ConnectionOptions,
  ) {}

  get pid(): number | undefined {
    return this.live?.opened.pid();
  }

  /** Connects for the first time; throws the typed start error when the server cannot be used. */
  async start(): Promise<void> {
    this.state = 'connecting';
    this.ready = this.connectOnce();
    this.ready.catch(() => {});
    try {
      await this.ready;
    } catch (error) {
      this.state = 'failed';
      this.lastError = error as Error;
      throw error;
    }
  }

  /** Called when the server's tools change (a list_changed notification, or a reconnect). */
  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const timeoutMs = options.timeoutMs ?? this.spec.timeoutMs ?? this.options.callMs;
    const started = performance.now();
    const live = await this.whenReady(timeoutMs, options.signal);
    const remaining = Math.max(1, timeoutMs - (performance.now() - started));
    try {
      return (await live.client.callTool({ name, arguments: args }, CallToolResultSchema, {
        timeout: remaining,
        ...(options.signal ? { signal: options.signal } : {}),
      })) as CallToolResult;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (error instanceof McpError) {
        if (error.code === ErrorCode.RequestTimeout)
          throw new McpCallTimeoutError(this.spec.name, name, timeoutMs);
        if (error.code === ErrorCode.ConnectionClosed)
          throw new McpConnectionLostError(this.spec.name, name, 'the connection closed');
        throw new McpProtocolError(
          this.spec.name,
          error.code,
          error.message.replace(/^MCP error -?\d+: /, ''),
        );
      }
      // An HTTP server that went away shows up as a failed fetch: treat it as a lost connection.
      if (this.spec.transport.kind === 'http' && this.live === live) this.lost(live);
      throw new McpConnectionLostError(this.spec.name, name, errorMessage(error));
    }
  }

  /** Re-reads the tool list now (the pool calls this on list_changed). */
  async refresh(): Promise<void> {
    const live = this.live;
    if (!live) return;
    const listing = await listAllTools(live.client, this.options.callMs);
    if (live !== this.live) return;
    const changed = JSON.stringify(listing) !== JSON.stringify(this.listing);
    this.listing = listing;
    if (changed) for (const listener of this.listeners) listener();
  }

  /** Closes the connection and, for stdio, ends the child (stdin closed, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.state = 'closed';
    this.stopping.abort();
    const live = this.live;
    this.live = undefined;
    if (live) await live.client.close().catch(() => {});
  }

  private async whenReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<Live> {
    if (this.live && this.state === 'ready') return this.live;
    if (this.state === 'closed') throw new McpUnavailableError(this.spec.name, 'the pool is closed');
    if (this.state === 'failed' || !this.ready) this.reconnect();
    const timeout = AbortSignal.timeout(timeoutMs);
    const waitSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await new Promise<Live>((resolvePromise, reject) => {
        const onAbort = () => reject(waitSignal.reason);
        waitSignal.addEventListener('abort', onAbort, { once: true });
        this.ready!.then(resolvePromise, reject).finally(() =>
          waitSignal.removeEventListener('abort', onAbort),
        );
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw new McpUnavailableError(
        this.spec.name,
        timeout.aborted
          ? `still reconnecting after ${timeoutMs} ms (last error: ${this.lastError ? errorMessage(this.lastError) : 'none'})`
          : errorMessage(error),
      );
    }
  }

  private async connectOnce(): Promise<Live> {
    const { spec, options } = this;
    const opened = openTransport(spec.transport, options.root);
    const client = new Client({ name: 'swarm', version: options.clientVersion }, { capabilities: {} });
    let live: Live | undefined;
    client.onclose = () => {
      if (live && this.live === live) this.lost(live);
    };
    try {
      await client.connect(opened.transport, { timeout: options.initializeMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw this.startError(error, opened);
    }
    const capabilities = client.getServerCapabilities() ?? {};
    if (!capabilities.tools) {
      await client.close().catch(() => {});
      throw new McpCapabilityError(spec.name, Object.keys(capabilities));
    }
    const version = client.getServerVersion();
    this.serverInfo = version ? { name: version.name, version: version.version } : undefined;
    let listing: ToolListing;
    try {
      listing = await listAllTools(client, options.callMs);
    } catch (error) {
      await client.close().catch(() => {});
      throw this.startError(error, opened);
    }
    if (this.state === 'closed') {
      await client.close().catch(() => {});
      throw new McpUnavailableError(spec.name, 'the pool was closed while connecting');
    }
    live = { client, opened };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.refresh().catch((error) => {
        this.lastError = error as Error;
      });
    });
    const changed = JSON.stringify(listing) !== JSON.stringify(this.listing);
    this.listing = listing;
    this.live = live;
    this.state = 'ready';
    if (changed) for (const listener of this.listeners) listener();
    return live;
  }

  private startError(error: unknown, opened: OpenedTransport): Error {
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
      return new McpInitializeTimeoutError(this.spec.name, this.options.initializeMs);
    const detail =
      error instanceof McpError && error.code === ErrorCode.ConnectionClosed
        ? 'it exited (or closed the connection) before answering initialize'
        : errorMessage(error);
    return new McpStartError(this.spec.name, detail, opened.outputTail());
  }

  private lost(live: Live): void {
    if (this.live !== live || this.state === 'closed') return;
    this.live = undefined;
    this.lastError = new Error('the connection closed');
    void live.client.close().catch(() => {});
    this.reconnect();
  }

  /** Reconnects with exponential back-off and jitter, up to `maxAttempts` in a row. */
  private reconnect(): void {
    if (this.state === 'closed' || this.state === 'reconnecting') return;
    this.state = 'reconnecting';
    const { baseDelayMs, maxDelayMs, maxAttempts } = this.options.reconnect;
    this.ready = (async () => {
      for (let attempt = 1; ; attempt++) {
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        await sleep(delay, undefined, { signal: this.stopping.signal });
        try {
          const live = await this.connectOnce();
          this.reconnects++;
          return live;
        } catch (error) {
          this.lastError = error as Error;
          if (this.stopping.signal.aborted) throw error;
          if (attempt >= maxAttempts) {
            this.state = 'failed';
            throw error;
          }
        }
      }
    })();
    this.ready.catch(() => {});
  }
}
