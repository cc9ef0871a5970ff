export { AgentSummariser, type AgentSummariserOptions, summaryTask } from './agent-summariser.js';
export {
  ArxivClient,
  type FetchOptionsInput,
  type FetchProgress,
  fetchOptionsSchema,
} from './arxiv-client.js';
export { type ArxivId, noteFileName, parseArxivId } from './arxiv-id.js';
export { type ArxivFeed, type Paper, paperSchema, parseArxivFeed } from './atom-feed.js';
export * from './errors.js';
export {
  appendProposals,
  type ImprovementsDoc,
  type Proposal,
  readImprovements,
} from './improvements-file.js';
export {
  IMPROVEMENTS_FILE,
  type KeptPaper,
  NOTES_DIR,
  type ResearchOptions,
  type ResearchProgress,
  type ResearchReport,
  runResearch,
} from './pipeline.js';
export { ProjectRanker, type Relevance } from './project-ranker.js';
export { parseResearchConfig, type ResearchConfig, researchConfigSchema } from './research-config.js';
export { ResearchIndex } from './research-index.js';
export {
  categorySource,
  DEFAULT_API_BASE,
  describeSource,
  idsSource,
  pageUrl,
  type ResearchSource,
  sourceFromUrl,
} from './source.js';
export { ExtractiveSummariser, extractiveSummary, type PaperSummary, type Summariser } from './summary.js';
export { type WatchOptions, watchImprovements } from './watch.js';
export { parseXml, type XmlElement } from './xml.js';
