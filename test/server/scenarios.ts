import type { ScenarioInput } from '../../src/sim/index.js';

/** lead delegates to mid, mid to leaf; each reply waits `latencyMs`, so the tree grows while it is watched. */
export function delegationScenario(latencyMs: number): ScenarioInput {
  return {
    rules: [
      {
        match: { system: 'You are lead', lastToolResult: 'leaf says' },
        reply: { content: 'lead done: {{lastToolResult}}', latencyMs },
      },
      {
        match: { system: 'You are lead' },
        reply: { toolCalls: [{ name: 'delegate_to_mid', arguments: { task: 'middle work' } }], latencyMs },
      },
      {
        match: { system: 'You are mid', lastToolResult: '.' },
        reply: { content: 'mid relays {{lastToolResult}}', latencyMs },
      },
      {
        match: { system: 'You are mid' },
        reply: { toolCalls: [{ name: 'delegate_to_leaf', arguments: { task: 'leaf work' } }], latencyMs },
      },
      {
        match: { system: 'You are leaf' },
        reply: { content: 'leaf says hello', usage: { promptTokens: 100, completionTokens: 10 }, latencyMs },
      },
      // an agent that never answers until it is cancelled
      { match: { system: 'You are staller' }, fault: { type: 'stall' } },
    ],
  };
}

export const delegationAgents = {
  lead: { delegates: ['mid'] },
  mid: { delegates: ['leaf'] },
  leaf: {},
  staller: {},
};

export const APPROVAL_WORKFLOW = `name: release
description: a leaf answers, a person approves, the leaf answers again
steps:
  - id: draft
    agent: leaf
    task: write the notes
  - id: sign-off
    needs: [draft]
    approval:
      message: Ship these notes?
  - id: publish
    needs: [sign-off]
    agent: leaf
    task: publish the notes
`;
