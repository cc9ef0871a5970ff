import { errorMessage, SwarmError } from '../core/errors.js';

/** Nothing listens beyond loopback unless the config says so. */
export class GatewayRemoteHostError extends SwarmError {
  constructor(host: string) {
    super(
      'gateway_remote_host',
      `refusing to listen on ${host}: the gateway listens only on loopback by default`,
      {
        hint: 'Use listen.host 127.0.0.1, or set listen.allowRemote: true (and configure keys:) if other machines must reach it.',
      },
    );
  }
}

export class GatewayListenError extends SwarmError {
  constructor(host: string, port: number, cause: unknown) {
    super('gateway_listen_failed', `the gateway cannot listen on ${host}:${port}: ${errorMessage(cause)}`, {
      hint: 'Choose another port (listen.port or --port), or 0 to take any free one.',
      cause,
    });
  }
}

/** An option given to `swarm gateway` that cannot be used. */
export class GatewayOptionError extends SwarmError {
  constructor(message: string, hint: string) {
    super('invalid_gateway_option', message, { hint });
  }
}

/** A backend names an environment variable for its key that is not set. */
export class BackendSetupError extends SwarmError {
  constructor(backend: string, detail: string) {
    super('gateway_backend_setup', `backend "${backend}" cannot be used: ${detail}`, {
      hint: 'Set the environment variable named by apiKeyEnv, or remove apiKeyEnv if the server needs no key.',
    });
  }
}

/**
 * A request the gateway answers with an error instead of a completion. The
 * fields become OpenAI's error envelope, which every OpenAI client surfaces;
 * `retryAfterSeconds` becomes the Retry-After header.
 */
export abstract class GatewayRequestError extends SwarmError {
  abstract readonly status: number;
  abstract readonly type: string;
  readonly retryAfterSeconds: number | undefined;
  readonly param: string | null;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; retryAfterSeconds?: number; param?: string | null; cause?: unknown } = {},
  ) {
    super(code, options.hint ? `${message} ${options.hint}` : message, {
      ...(options.hint ? { hint: options.hint } : {}),
      cause: options.cause,
    });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param ?? null;
  }
}

export class InvalidRequestError extends GatewayRequestError {
  readonly status = 400;
  readonly type = 'invalid_request_error';
  constructor(message: string, param: string | null = null) {
    super('invalid_request', message, { param });
  }
}

export class BodyTooLargeError extends GatewayRequestError {
  readonly status = 413;
  readonly type = 'invalid_request_error';
  constructor(limit: number) {
    super('body_too_large', `The request body is larger than the gateway's limit of ${limit} bytes.`, {
      hint: 'Send a shorter prompt, or raise limits.maxBodyBytes in the gateway config.',
    });
  }
}

export class UnknownModelError extends GatewayRequestError {
  readonly status = 404;
  readonly type = 'invalid_request_error';
  constructor(model: string, available: readonly string[]) {
    super('model_not_found', `The model \`${model}\` does not exist on this gateway.`, {
      hint: `Use one of: ${available.join(', ') || '(none)'}; GET /v1/models lists them.`,
      param: 'model',
    });
  }
}

export class AuthenticationError extends GatewayRequestError {
  readonly status = 401;
  readonly type = 'invalid_request_error';
  constructor(detail: string) {
    super('invalid_api_key', `${detail}.`, {
      hint: 'Send a gateway key as "Authorization: Bearer sk-swarm-..."; `swarm gateway --new-key <id>` makes one.',
    });
  }
}

export class ModelNotAllowedError extends GatewayRequestError {
  readonly status = 403;
  readonly type = 'invalid_request_error';
  constructor(keyId: string, model: string, allowed: readonly string[]) {
    super('model_not_allowed', `The key "${keyId}" may not use the model \`${model}\`.`, {
      hint: `It may use: ${allowed.join(', ')}. Ask the gateway's admin to add the model to the key.`,
      param: 'model',
    });
  }
}

/** The key's requests or tokens per minute are used up for now. */
export class KeyRateLimitError extends GatewayRequestError {
  readonly status = 429;
  readonly type = 'requests';
  constructor(keyId: string, detail: string, retryAfterSeconds: number) {
    super('rate_limit_exceeded', `Rate limit reached for key "${keyId}": ${detail}.`, {
      hint: `Retry after ${retryAfterSeconds} s, or ask for a higher limit.`,
      retryAfterSeconds,
    });
  }
}

/** The key's money budget for the period cannot cover this request's worst case. */
export class KeyBudgetError extends GatewayRequestError {
  readonly status = 429;
  readonly type = 'insufficient_quota';
  constructor(keyId: string, detail: string, retryAfterSeconds: number) {
    super('budget_exceeded', `Budget exhausted for key "${keyId}": ${detail}.`, {
      hint: `The budget renews in ${retryAfterSeconds} s; lower max_tokens, or ask for a larger budget.`,
      retryAfterSeconds,
    });
  }
}

/** Every backend of the model stayed down, cooling or full for as long as the gateway may wait. */
export class NoBackendAvailableError extends GatewayRequestError {
  readonly status = 503;
  readonly type = 'server_error';
  constructor(model: string, detail: string, retryAfterSeconds: number) {
    super('no_backend_available', `No backend can serve \`${model}\` right now: ${detail}.`, {
      hint: `Retry after ${retryAfterSeconds} s; GET /health shows each backend's state.`,
      retryAfterSeconds,
    });
  }
}

/** Every attempt failed before the answer started. */
export class UpstreamFailedError extends GatewayRequestError {
  readonly status = 502;
  readonly type = 'server_error';
  constructor(model: string, attempts: readonly string[]) {
    super(
      'upstream_failed',
      `\`${model}\` failed on ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}: ${attempts.join('; ')}.`,
      { hint: 'GET /health shows each backend; the request can be retried.' },
    );
  }
}

/** Backends keep answering 429 and their retry-after is longer than the gateway waits. */
export class UpstreamRateLimitError extends GatewayRequestError {
  readonly status = 429;
  readonly type = 'requests';
  constructor(model: string, retryAfterSeconds: number) {
    super('upstream_rate_limited', `Every backend of \`${model}\` is rate limiting.`, {
      hint: `Retry after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    });
  }
}

export class GatewayTimeoutError extends GatewayRequestError {
  readonly status = 504;
  readonly type = 'server_error';
  constructor(model: string, timeoutMs: number) {
    super('timeout', `\`${model}\` did not answer within the gateway's ${timeoutMs} ms request timeout.`, {
      hint: 'Retry with a smaller max_tokens, or raise timeouts.requestMs in the gateway config.',
    });
  }
}

/** The store that holds keys' budgets and rate windows could not be read or written. */
export class KeyStateUnavailableError extends GatewayRequestError {
  readonly status = 503;
  readonly type = 'server_error';
  constructor(keyId: string, cause: unknown) {
    super(
      'key_state_unavailable',
      `The limits of key "${keyId}" cannot be checked: ${errorMessage(cause)}.`,
      {
        hint: "Retry shortly; if it persists, check the engine backend named in the gateway config's state.engine.",
        retryAfterSeconds: 5,
        cause,
      },
    );
  }
}

/** A key's stored limits are not in a form this version can read; trusting them could overspend. */
export class KeyStateCorruptError extends SwarmError {
  constructor(keyId: string, bucket: string, detail: string) {
    super(
      'key_state_corrupt',
      `the stored limits of key "${keyId}" in bucket "${bucket}" cannot be read: ${detail}`,
      {
        hint: `Delete the entry keys/${keyId} from that bucket to start the key's period afresh, or restore it from a backup.`,
      },
    );
  }
}
