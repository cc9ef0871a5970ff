export { nameStyle, RepoConventions } from './conventions.js';
export { modelReviewer } from './model-review.js';
export {
  DEFAULT_MAX_DIFF_LINES,
  type ModelReviewer,
  type ReviewOptions,
  type ReviewSubject,
  type ReviewVerdict,
  reviewChange,
} from './review-branch.js';
export { type TestStrength, testStrength, weakening } from './test-strength.js';
