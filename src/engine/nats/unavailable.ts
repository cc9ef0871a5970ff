import {
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { EngineUnavailableError } from '../errors.js';

function isUnreachable(error: unknown): boolean {
  return (
    error instanceof TimeoutError ||
    error instanceof ClosedConnectionError ||
    error instanceof DrainingConnectionError ||
    error instanceof ConnectionError ||
    error instanceof NoRespondersError ||
    error instanceof RequestError ||
    // JetStream answers 503 while it recovers its store after a restart
    (error instanceof Error && error.name === 'JetStreamNotEnabled')
  );
}

/**
 * Runs `call`, turning a failure to reach the server (a timeout during an
 * outage, a closed connection, JetStream not ready yet) into
 * `EngineUnavailableError`, so a worker can tell "back off and retry" from a
 * failure of the task itself.
 */
export async function reaching<T>(location: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isUnreachable(error) ? new EngineUnavailableError(location, error) : error;
  }
}
