export { readBlock, replaceBlock } from './block.js';
export { type ContextState, renderContext } from './context-file.js';
export { figuresOf, type RepoFigures } from './figures.js';
export { type MergedChange, renderImprovements } from './improvements.js';
export {
  parseRoadmap,
  ROADMAP_STATUSES,
  type RoadmapEntry,
  type RoadmapStatus,
  renderRoadmap,
} from './roadmap.js';
