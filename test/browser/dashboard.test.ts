import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/server/index.js';
import { APPROVAL_WORKFLOW, delegationAgents, delegationScenario } from '../server/scenarios.js';
import { type Browser, openBrowser, tabTo } from '../support/browser.js';
import { type ServerHarness, startServerHarness, until } from '../support/server-harness.js';

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let s: ServerHarness;
let b: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await startServerHarness({
    agents: { ...delegationAgents, patcher: { tools: ['read_file'] } },
    files: {
      'fix.patch':
        '--- a/greet.ts\n+++ b/greet.ts\n@@ -1,2 +1,2 @@\n-export const greet = "hi";\n+export const greet = "hello";\n export default greet;\n',
    },
    // each model reply takes 400 ms: the tree visibly grows one delegation at a time
    scenario: {
      rules: [
        // an agent whose tool result is an edit's diff
        {
          match: { system: 'You are patcher', lastToolResult: '.' },
          reply: { content: 'the patch is ready' },
        },
        {
          match: { system: 'You are patcher' },
          reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'fix.patch' } }] },
        },
        ...(delegationScenario(400).rules ?? []),
      ],
    },
    config: { prices: { 'sim:sim-model': { input: 3, output: 15 } } },
    workflowFiles: { 'release.yaml': APPROVAL_WORKFLOW },
    server: { webDir: defaultWebDir(), serverConfig: { budgets: { dailyUsd: 0.01 } } },
    gateway: (url) => ({
      listen: { host: '127.0.0.1', port: 0 },
      backends: ['gpu-a', 'gpu-b'].map((name) => ({
        name,
        type: 'vllm',
        url,
        models: { 'sim-model': 'sim-model' },
        maxConcurrency: 16,
      })),
    }),
  });
  b = await openBrowser();
  page = b.page;
}, 60_000);

afterAll(async () => {
  await b?.close();
  await s?.close();
});

const startRun = async (agent: string, task: string) =>
  (await s.api('/api/runs', { method: 'POST', json: { agent, task } })).body.runId as string;

const runStatus = async (runId: string) => (await s.api(`/api/runs/${runId}`)).body.run.status as string;

describe('the dashboard in Chromium', { timeout: 60_000 }, () => {
  it('shows a delegation tree growing live, one agent at a time', async () => {
    await page.goto(`${s.url}/#/`);
    await page.getByRole('heading', { name: 'Live swarm' }).waitFor();
    await page.locator('.stream-live').waitFor();
    // record every size the tree of the run takes, as the page draws it
    await page.evaluate(`
      window.treeSizes = [];
      new MutationObserver(() => {
        const size = document.querySelectorAll('.run-card.status-running .tree-node').length;
        if (size > 0 && window.treeSizes[window.treeSizes.length - 1] !== size) window.treeSizes.push(size);
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    `);
    const runId = await startRun('lead', 'Plan the release notes');
    const card = page.locator(`[data-run="${runId}"]`);
    await card.locator('.tree-node[data-agent="lead"]').waitFor();
    await card.locator('.tree-node[data-agent="mid"]').waitFor();
    await card.locator('.tree-node[data-agent="leaf"]').waitFor();
    // leaf sits under mid, which sits under lead
    expect(
      await card
        .locator('.tree-node[data-agent="lead"] .tree-node[data-agent="mid"] .tree-node[data-agent="leaf"]')
        .count(),
    ).toBe(1);
    const sizes = (await page.evaluate('window.treeSizes')) as number[];
    expect(sizes.slice(0, 3)).toEqual([1, 2, 3]);
    await until(async () => (await runStatus(runId)) === 'succeeded', 'the run to finish');
    await card.locator('.badge.status-succeeded').first().waitFor();
    await expect(
      card.locator('.tree-node[data-agent="leaf"] .metric').first().textContent(),
    ).resolves.toMatch(/100\/10 tok/);
  });

  it('cancels a running run from its card and shows it stop', async () => {
    const runs = [
      await startRun('lead', 'Summarise the changelog'),
      await startRun('lead', 'Draft the upgrade guide'),
    ];
    const stuck = await startRun('staller', 'Wait for a model that never answers');
    const card = page.locator(`[data-run="${stuck}"]`);
    await card.waitFor();
    await page.locator(`[data-run="${runs[0]}"] .tree-node[data-agent="mid"]`).waitFor();
    await page.screenshot({ path: `${SHOTS}live-swarm.png` });
    await card.getByRole('button', { name: /cancel run staller/ }).click();
    await until(async () => (await runStatus(stuck)) === 'cancelled', 'the run to be cancelled');
    await page.locator(`[data-run="${stuck}"].status-cancelled`).waitFor();
    const node = page.locator(`[data-run="${stuck}"] .tree-node[data-agent="staller"]`);
    await node.locator('.badge.status-cancelled').waitFor();
    for (const runId of runs)
      await until(async () => (await runStatus(runId)) !== 'running', 'runs to finish');
  });

  it('starts a workflow and approves its waiting step with the keyboard alone', async () => {
    await page.goto(`${s.url}/#/`);
    await page.getByRole('heading', { name: 'Live swarm' }).waitFor();
    await tabTo(page, 'nav a[href="#/start"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Start', exact: true }).waitFor();
    await page.locator('select[name="workflow"] option[value="release"]').waitFor({ state: 'attached' });
    await tabTo(page, 'form[aria-labelledby="start-wf-title"] button[type="submit"]');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/runs\/run_/);
    const runId = page.url().split('#/runs/')[1]!;
    const approve = page.getByRole('button', { name: 'Approve sign-off' });
    await approve.waitFor({ timeout: 20_000 });
    await page.locator('[data-step="draft"].status-succeeded').waitFor();
    await page.locator('[data-step="draft"]').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Step draft/ }).waitFor();
    await page.getByText('Conversation of leaf in draft').waitFor();
    await page.screenshot({ path: `${SHOTS}run-waiting-approval.png`, fullPage: true });
    await tabTo(page, '.approval button.primary');
    await page.keyboard.press('Enter');
    await page.locator('[data-step="publish"].status-succeeded').waitFor({ timeout: 20_000 });
    expect(
      (await s.api(`/api/workflows/runs/${runId}`)).body.steps.map((st: { status: string }) => st.status),
    ).toEqual(['succeeded', 'succeeded', 'succeeded']);
    await page.locator('.badge.status-succeeded').first().waitFor();
  });

  it('shows a run page with the lineage, a conversation and the timeline', async () => {
    const { body } = await s.api('/api/runs?limit=50');
    const done = body.runs.find(
      (r: { agent: string; status: string }) => r.agent === 'lead' && r.status === 'succeeded',
    );
    await page.goto(`${s.url}/#/runs/${done.id}`);
    await page.getByRole('heading', { name: /Event timeline/ }).waitFor();
    await page.locator('.tree .tree-node[data-agent="leaf"]').waitFor();
    await page.locator('.tree-node[data-agent="mid"] > .node-row').first().click();
    await page.getByText('Conversation of mid').waitFor();
    await page
      .getByText(/delegates to leaf/)
      .first()
      .waitFor();
    await page.screenshot({ path: `${SHOTS}run-page.png`, fullPage: true });
  });

  it('shows the diff that an agent tool call carried', async () => {
    const runId = await startRun('patcher', 'Prepare the greeting fix');
    await until(async () => (await runStatus(runId)) === 'succeeded', 'the patcher to finish');
    await page.goto(`${s.url}/#/runs/${runId}`);
    await page.locator('.tree-node[data-agent="patcher"] > .node-row').first().click();
    await page.locator('pre.diff .diff-add', { hasText: '+export const greet = "hello";' }).waitFor();
    await page.locator('pre.diff .diff-del', { hasText: '-export const greet = "hi";' }).waitFor();
  });

  it('draws costs and the fleet, reachable from the navigation by keyboard', async () => {
    const gw = s.gateway!;
    await gw.probe();
    for (let i = 0; i < 4; i++) {
      await fetch(`${gw.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'sim-model',
          messages: [{ role: 'user', content: `You are leaf. hello ${i}` }],
        }),
      });
    }
    await gw.scrape();
    const backends = await s.api('/api/gateway/backends');
    expect(backends.body.backends.map((x: { name: string }) => x.name)).toEqual(['gpu-a', 'gpu-b']);
    await tabTo(page, 'nav a[href="#/costs"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Costs' }).waitFor();
    await page.locator('figure.chart svg').first().waitFor();
    const agentChart = page.locator('figure.chart', { hasText: 'Spend by agent' });
    for (const agent of ['lead', 'mid', 'leaf'])
      await agentChart.locator('text', { hasText: agent }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}costs.png`, fullPage: true });
    await tabTo(page, 'nav a[href="#/fleet"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByText(/busy/).first().waitFor();
    await page.locator('table.table th[scope="row"]', { hasText: 'gpu-b' }).waitFor();
    await page.screenshot({ path: `${SHOTS}fleet.png`, fullPage: true });
  });

  it('logged no console errors on any page', () => {
    expect(b.problems).toEqual([]);
  });
});
