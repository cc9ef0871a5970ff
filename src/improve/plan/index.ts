export { type Candidate, type CandidateLocation, SKILLS, type SkillName } from './candidate.js';
export { type DryRunResult, dryRun } from './dry-run.js';
export { DEFAULT_HEAVY_BYTES, DEFAULT_HEAVY_LINES, type LazyLoadThresholds } from './lazy-load.js';
export { type Plan, type PlanOptions, planImprovements } from './plan-improvements.js';
export { planMarkdown } from './plan-markdown.js';
export { DEFAULT_MAX_COMPLEXITY } from './simplify.js';
export { DEFAULT_MAX_FILE_LINES } from './split-file.js';
