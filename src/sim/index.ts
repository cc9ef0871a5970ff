export { runSimCli, type SimCliOptions } from './cli.js';
export { ScenarioNotFoundError, SimListenError, SimOptionError, SimRemoteHostError } from './errors.js';
export type { MetricsStyle } from './metrics-text.js';
export { decodeMsPerToken, type PerformanceProfile, prefillMs } from './performance.js';
export { BLOCK_TOKENS, PrefixCache } from './prefix-cache.js';
export type { RecordedRequest } from './request-log.js';
export {
  type Fault,
  loadScenario,
  parseScenario,
  type Reply,
  type Rule,
  type Scenario,
  type ScenarioInput,
} from './scenario.js';
export { type SimOptions, type SimServer, startSim } from './server.js';
