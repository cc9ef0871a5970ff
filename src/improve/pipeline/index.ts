export type { CandidateOutcome, CandidateResult, GateRecord } from './candidate-result.js';
export { ImproveCancelledError, ImproveStepFailedError } from './errors.js';
export { DEFAULT_MERGE_THRESHOLD, RECORD_FILES } from './finish-cycle.js';
export { IMPROVE_WORKFLOW } from './improve-workflow.js';
export type {
  CycleReport,
  ImproveOptions,
  ImproveReport,
  MergeReport,
  ModelFactory,
  ProgressEvent,
  SkillPicker,
} from './options.js';
export { DEFAULT_WORKERS, runImprove } from './run-improve.js';
export { runReportMarkdown } from './run-report.js';
export { skillPicker } from './skill-picker.js';
