export { type CodeStyle, codeStyle } from './code-style.js';
export type { CodemodResult } from './codemod-result.js';
export { SkillNotApplicableError } from './errors.js';
export { lazyLoadImport } from './lazy-load/lazy-load.js';
export { isCodemodPath, kebabCase, loadSource } from './source.js';
export { type SplitFileOptions, splitFile } from './split-file/split-file.js';
export { writeFilesAtomically } from './write-files.js';
