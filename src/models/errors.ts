import { SwarmError } from '../core/errors.js';

export class ModelNotConfiguredError extends SwarmError {
  constructor(agent: string) {
    super('model_not_configured', `agent "${agent}" has no model and no defaultModel is configured`, {
      hint:
        'Set `model:` in the manifest or `defaultModel:` in swarm.config.yaml, e.g. openai-compatible:qwen2.5-coder ' +
        'with providers.openai-compatible.baseURL pointing at a vLLM, Ollama or llama.cpp server.',
    });
  }
}

export class UnknownProviderError extends SwarmError {
  constructor(ref: string, provider: string, known: readonly string[]) {
    super('unknown_provider', `model "${ref}" names provider "${provider}", which is not configured`, {
      hint: `Use one of: ${known.join(', ')}, or add it under providers: in swarm.config.yaml.`,
    });
  }
}

export class ProviderSetupError extends SwarmError {
  constructor(provider: string, missing: string) {
    super('provider_setup', `provider "${provider}" cannot be used: ${missing}`, {
      hint: 'Set it in swarm.config.yaml under providers, or the environment variable named above; `swarm doctor` checks.',
    });
  }
}

/** The model endpoint answered with an error, or could not be reached, after all retries. */
export class ModelCallError extends SwarmError {
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(
    model: string,
    message: string,
    options: { status?: number; retryable: boolean; cause?: unknown },
  ) {
    super('model_call_failed', `model ${model}: ${message}`, {
      hint: options.retryable
        ? 'The endpoint kept failing; check it with `swarm doctor` or add a fallback model.'
        : 'Check the model name, the endpoint and its credentials with `swarm doctor`.',
      cause: options.cause,
    });
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

/** The response stream broke off or carried an error; any partial answer is discarded. */
export class ModelStreamError extends SwarmError {
  readonly retryable = true;

  constructor(model: string, detail: string, cause?: unknown) {
    super(
      'model_stream_failed',
      `model ${model}: the response stream failed (${detail}); partial output discarded`,
      {
        hint: 'Usually a dropped connection or an overloaded server; the call is retried, then falls back.',
        cause,
      },
    );
  }
}
