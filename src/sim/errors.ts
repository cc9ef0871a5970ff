import { errorMessage, SwarmError } from '../core/errors.js';

/** An option given to `startSim` or `swarm sim` that cannot be used. */
export class SimOptionError extends SwarmError {
  constructor(message: string, hint: string) {
    super('invalid_sim_option', message, { hint });
  }
}

export class ScenarioNotFoundError extends SwarmError {
  constructor(file: string, cause: unknown) {
    super('scenario_not_found', `cannot read the scenario file ${file}: ${errorMessage(cause)}`, {
      hint: 'Check the path; examples/scenarios/echo.yaml is a minimal scenario to start from.',
      cause,
    });
  }
}

/** Nothing listens beyond loopback unless the user asked for it. */
export class SimRemoteHostError extends SwarmError {
  constructor(host: string) {
    super(
      'sim_remote_host',
      `refusing to listen on ${host}: the simulator listens only on loopback by default`,
      {
        hint: 'Use host 127.0.0.1, or set allowRemote (--allow-remote) if other machines must reach it.',
      },
    );
  }
}

export class SimListenError extends SwarmError {
  constructor(host: string, port: number, cause: unknown) {
    super('sim_listen_failed', `the simulator cannot listen on ${host}:${port}: ${errorMessage(cause)}`, {
      hint: 'Choose another port, or port 0 to take any free one.',
      cause,
    });
  }
}
