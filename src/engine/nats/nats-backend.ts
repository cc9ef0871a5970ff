import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Backend, KvStore, QueueOptions, TaskQueue } from '../backend.js';
import { EngineUnavailableError } from '../errors.js';
import { checkName } from '../names.js';
import { NatsKv } from './nats-kv.js';
import { userBucket } from './nats-names.js';
import { type NatsClients, NatsQueue } from './nats-queue.js';
import { reaching } from './unavailable.js';

/** Short enough that workers resume within a second of the server's return. */
const RECONNECT_WAIT_MS = 500;
/** Finds a dead connection (a partition rather than a closed socket) within half a minute. */
const PING_INTERVAL_MS = 10_000;

/**
 * The distributed backend: a NATS JetStream server or cluster reached at
 * `nats://host:port[,host:port...]`. The connection reconnects forever, so a
 * server restart or a leader election only pauses the workers; operations
 * issued meanwhile fail with the client's timeout and may be retried (an
 * enqueue safely, by its de-duplication id).
 */
export class NatsBackend implements Backend {
  readonly kind = 'nats';

  private constructor(private readonly clients: NatsClients) {}

  get location(): string {
    return this.clients.location;
  }

  static async connect(url: string, options: { name?: string } = {}): Promise<NatsBackend> {
    const location = url.replace(/\/\/[^@/]*@/g, '//***@');
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: url
          .split(',')
          .map((server) => server.trim())
          .filter((server) => server !== ''),
        name: options.name ?? 'swarm',
        maxReconnectAttempts: -1,
        reconnectTimeWait: RECONNECT_WAIT_MS,
        pingInterval: PING_INTERVAL_MS,
      });
    } catch (error) {
      throw new EngineUnavailableError(location, error);
    }
    try {
      // asks the server for the account's JetStream status, so a server started without -js fails here
      const jsm = await jetstreamManager(nc);
      return new NatsBackend({ location, nc, js: jsm.jetstream(), jsm });
    } catch (error) {
      await nc.close();
      throw new EngineUnavailableError(location, error);
    }
  }

  async queue(name: string, options: QueueOptions = {}): Promise<TaskQueue> {
    return NatsQueue.open(this.clients, checkName('queue', name), options);
  }

  async kv(bucket: string): Promise<KvStore> {
    const name = checkName('bucket', bucket);
    return reaching(this.location, async () => {
      // reads go to the stream leader, so a compare-and-set right after a write sees that write
      const kv = await new Kvm(this.clients.js).create(userBucket(name), { history: 1, allow_direct: false });
      return new NatsKv(kv, name, this.location);
    });
  }

  async close(): Promise<void> {
    await this.clients.nc.close();
  }
}
