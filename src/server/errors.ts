import { SwarmError } from '../core/errors.js';

/** A failure with an HTTP status; the body is always `{ error: { code, message } }`. */
export class ApiError extends SwarmError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    options?: { hint?: string; cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export class MalformedJsonError extends ApiError {
  constructor(detail: string) {
    super(400, 'malformed_json', `the request body is not valid JSON: ${detail}`, {
      hint: 'Send a JSON object with Content-Type: application/json.',
    });
  }
}

export class InvalidRequestError extends ApiError {
  constructor(where: 'body' | 'query' | 'path', problems: readonly string[]) {
    super(400, `invalid_${where}`, `invalid request ${where}: ${problems.join('; ')}`, {
      hint: 'GET /openapi.json describes every endpoint and its fields.',
    });
  }
}

export class UnauthorizedError extends ApiError {
  constructor(reason: string) {
    super(401, 'unauthorized', reason, {
      hint: 'Send the server key as a bearer token in the Authorization header (make one with `swarm serve --new-key <id>`).',
    });
  }
}

export class RouteNotFoundError extends ApiError {
  constructor(method: string, path: string) {
    super(404, 'not_found', `no endpoint ${method} ${path}`, {
      hint: 'GET /openapi.json lists the endpoints.',
    });
  }
}

/** Cancelling a run that another process is running, and which offers no way to be told. */
export class RunNotOwnedError extends ApiError {
  constructor(runId: string) {
    super(
      409,
      'run_not_owned',
      `run ${runId} is running in another process, not in this server, so it cannot be cancelled from here`,
      { hint: 'Stop it in the process that runs it (Ctrl-C for `swarm run`).' },
    );
  }
}

export class RunNotRunningError extends ApiError {
  constructor(runId: string, status: string) {
    super(409, 'run_not_running', `run ${runId} is ${status}, not running`);
  }
}

export class WorkflowsUnavailableError extends ApiError {
  constructor() {
    super(503, 'engine_unavailable', 'this server was started without a workflow engine', {
      hint: 'Start `swarm serve` with an engine (the default sqlite engine, or --engine nats://...).',
    });
  }
}

export class GatewayNotRunningError extends ApiError {
  constructor() {
    super(404, 'gateway_not_running', 'no gateway runs in this server process', {
      hint: 'Start `swarm serve --gateway <config>` to run the gateway in the same process.',
    });
  }
}

export class WorkflowFileError extends ApiError {
  constructor(name: string, reason: string) {
    super(400, 'workflow_file_invalid', `workflow "${name}": ${reason}`, {
      hint: 'GET /api/workflows lists the workflow files this server can start.',
    });
  }
}

/** Binding beyond loopback without a key would expose runs, costs and actions to the network. */
export class ServerKeyRequiredError extends SwarmError {
  constructor(host: string) {
    super('server_key_required', `refusing to listen on ${host} without an API key`, {
      hint:
        'Make a key with `swarm serve --new-key <id>`, then set server.apiKeyHash in swarm.config.yaml ' +
        '(or SWARM_SERVER_KEY_HASH), or bind to 127.0.0.1.',
    });
  }
}

export class ServerConfigError extends SwarmError {
  constructor(problem: string) {
    super('invalid_server_config', `server configuration: ${problem}`, {
      hint: 'See the `swarm serve` section of the README for the server: settings.',
    });
  }
}

export class ServerListenError extends SwarmError {
  constructor(host: string, port: number, cause: unknown) {
    super(
      'server_listen_failed',
      `cannot listen on ${host}:${port}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { hint: 'Pick another --port, or stop the program that holds this one.', cause },
    );
  }
}

export class WebBuildMissingError extends SwarmError {
  constructor(dir: string) {
    super('web_build_missing', `the dashboard is not built: ${dir}/index.html is missing`, {
      hint: 'run npm run build (it builds web/dist), or start with --no-ui to serve only the API.',
    });
  }
}

/** HTTP status of Swarm errors raised by lower layers, by code. */
const STATUS_BY_CODE: Record<string, number> = {
  run_not_found: 404,
  workflow_run_not_found: 404,
  unknown_agent: 404,
  run_id_ambiguous: 400,
  step_not_waiting: 409,
  invalid_workflow: 400,
  invalid_manifest: 400,
  invalid_manifests: 400,
  invalid_expression: 400,
};

export function statusOf(error: SwarmError): number {
  if (error instanceof ApiError) return error.status;
  return STATUS_BY_CODE[error.code] ?? 500;
}
