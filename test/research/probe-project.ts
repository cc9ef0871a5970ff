import { writeTree } from '../support/harness.js';

/**
 * A small target project about software testing, with three modules whose
 * READMEs say what they do: the saved "all:testing" feed should rank above
 * the saved condensed-matter feed, and map to these modules.
 */
export function writeProbeProject(dir: string, extra: Record<string, string> = {}): void {
  writeTree(dir, {
    'README.md':
      '# probe\n\nprobe is a software testing tool: it generates test cases, prioritises regression tests,\n' +
      'and fuzzes programs to find faults before release.\n',
    'roadmap.md':
      '# Roadmap\n- Learn which test cases to run first (test prioritisation with machine learning).\n' +
      '- Test deep learning models and web applications.\n',
    'src/test-generation/README.md':
      '# test-generation\nGenerates test cases automatically: REST API tests from OpenAPI specs, GUI tests from screens.\n',
    'src/test-generation/rest-api.ts':
      '/** Builds HTTP request sequences for REST API testing from an OpenAPI document. */\nexport const x = 1;\n',
    'src/fuzzing/README.md':
      '# fuzzing\nMutation-based and active fuzzing of programs and cyber-physical systems to find security faults.\n',
    'src/reporting/README.md':
      '# reporting\nWrites test reports and explains results to teachers and students in software testing education.\n',
    ...extra,
  });
}

/** The ids in the saved 2026 "all:testing" search feed. */
export const TESTING_IDS = [
  '2202.12139',
  '2405.13786',
  '2005.14124',
  '2204.08348',
  '2302.03287',
  '1202.4527',
  '2503.05378',
  '1205.1866',
  '2502.07719',
  '1812.11470',
];
