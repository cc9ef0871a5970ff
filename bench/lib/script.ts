/**
 * The script both runtimes follow in the runner-overhead benchmarks: the same
 * agents, tasks, tool, replies and token usage.
 */

export const TOOL_CALLS = 10;
export const TOOL_NAME = 'bench_echo';
export const TOOL_DESCRIPTION = 'Echoes the number it is given.';
export const INSTRUCTIONS = 'You are a benchmark agent. Answer at once.';
export const FINAL_TEXT = 'Done.';
export const USAGE = { input: 20, output: 5 } as const;

export interface Scenario {
  key: 'one-turn' | 'ten-tools';
  title: string;
  agent: string;
  task: string;
  withTool: boolean;
  /** Model calls per run. */
  modelCalls: number;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'one-turn',
    title: '1-turn run',
    agent: 'bench-chat',
    task: 'Say hello.',
    withTool: false,
    modelCalls: 1,
  },
  {
    key: 'ten-tools',
    title: '10-tool-call run',
    agent: 'bench-tools',
    task: `Call ${TOOL_NAME} ten times, then say done.`,
    withTool: true,
    modelCalls: TOOL_CALLS + 1,
  },
];

/** The trivial tool's behaviour, shared by both runtimes. */
export function echo(n: number): string {
  return `n=${n}`;
}
