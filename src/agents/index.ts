export { delegationToolName } from './delegation.js';
export * from './errors.js';
export { type AgentManifest, manifestJsonSchema, manifestSchema } from './manifest.js';
export { AgentRegistry, type LoadedManifest, loadManifestFile, manifestFiles } from './registry.js';
export { executeRun, type RunOutcome, type StartRunOptions } from './run.js';
export { type AgentResult, AgentRunner, type RunnerDeps } from './runner.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
