export * from './analyse/index.js';
export * from './codemods/index.js';
export * from './edits/index.js';
export * from './pipeline/index.js';
export * from './plan/index.js';
export * from './skills/index.js';
