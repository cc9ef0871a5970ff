import { type FileProblem, InvalidFileError, SwarmError } from '../core/errors.js';

export class ManifestError extends InvalidFileError {
  constructor(file: string, problems: readonly FileProblem[]) {
    super(
      'invalid_manifest',
      file,
      problems,
      'Fix the fields listed above; `swarm agents validate` re-checks.',
    );
  }
}

/** Several manifests are broken at once; each is reported with its own file and lines. */
export class ManifestSetError extends SwarmError {
  constructor(readonly errors: readonly ManifestError[]) {
    super('invalid_manifests', errors.map((e) => e.message).join('\n'), {
      hint: 'Fix the fields listed above; `swarm agents validate` re-checks.',
    });
  }
}

export class UnknownAgentError extends SwarmError {
  constructor(name: string, known: readonly string[]) {
    super('unknown_agent', `no agent named "${name}"`, {
      hint: known.length
        ? `Known agents: ${known.join(', ')}. \`swarm agents list\` shows them with their files.`
        : 'No agents are defined yet: add agents/<name>.yaml (see examples/agents/).',
    });
  }
}

export class MaxStepsError extends SwarmError {
  constructor(agent: string, steps: number) {
    super('max_steps', `agent "${agent}" reached its limit of ${steps} steps without a final answer`, {
      hint: 'Raise limits.maxSteps in the manifest, or make the task smaller.',
    });
  }
}

export class StructuredOutputError extends SwarmError {
  constructor(agent: string, detail: string) {
    super(
      'invalid_structured_output',
      `agent "${agent}" did not produce output matching its schema: ${detail}`,
      {
        hint: 'Check the output schema in the manifest, or use a model that supports structured output.',
      },
    );
  }
}
