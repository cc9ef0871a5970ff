import { type Msg, type NatsConnection, nanos } from '@nats-io/transport-node';

/** As long as the client gives any JetStream API call. */
const ACK_TIMEOUT_MS = 5000;

/**
 * One delivery of a JetStream message to this process, answered over its
 * `$JS.ACK` reply subject. Every answer is a request, so it is confirmed by
 * the server (what `JsMsg.ackAck()` does for acks, here also for progress,
 * nak and term): a lease is only trusted to have moved once the server said so.
 */
export class Delivery {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly msg: Msg,
    private readonly reply: string,
    /** 1 on the first delivery; JetStream counts lease expiries and naks alike. */
    readonly deliveries: number,
    /** The message's sequence in its stream: stable across redeliveries. */
    readonly streamSeq: number,
  ) {}

  /** Undefined for a message that is not a JetStream delivery. */
  static from(nc: NatsConnection, msg: Msg): Delivery | undefined {
    const reply = msg.reply ?? '';
    const tokens = reply.split('.');
    if (tokens[0] !== '$JS' || tokens[1] !== 'ACK') return undefined;
    // $JS.ACK.<stream>.<consumer>.<deliveries>.<stream seq>.<consumer seq>.<time>.<pending>; the newer
    // form inserts <domain>.<account hash> after ACK and may append a token
    const at = tokens.length === 9 ? 4 : tokens.length >= 11 ? 6 : -1;
    if (at < 0) return undefined;
    const deliveries = Number(tokens[at]);
    const streamSeq = Number(tokens[at + 1]);
    if (!Number.isSafeInteger(deliveries) || !Number.isSafeInteger(streamSeq)) return undefined;
    return new Delivery(nc, msg, reply, deliveries, streamSeq);
  }

  ack(): Promise<void> {
    return this.answer('+ACK');
  }

  /** Restarts the server's ack_wait timer for this message. */
  working(): Promise<void> {
    return this.answer('+WPI');
  }

  nak(delayMs: number): Promise<void> {
    return this.answer(delayMs > 0 ? `-NAK ${JSON.stringify({ delay: nanos(delayMs) })}` : '-NAK');
  }

  /** Never deliver again; on a work-queue stream this removes the message like an ack. */
  term(): Promise<void> {
    return this.answer('+TERM');
  }

  /** Unconfirmed nak, for a delivery nobody is waiting for any more. */
  handBack(): void {
    this.msg.respond('-NAK');
  }

  private async answer(payload: string): Promise<void> {
    await this.nc.request(this.reply, payload, { timeout: ACK_TIMEOUT_MS });
  }
}
