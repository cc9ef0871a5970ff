import pc from 'picocolors';
import { z } from 'zod';
import { AgentRegistry } from '../../agents/registry.js';
import { loadConfig, resolvePath, type SwarmConfig } from '../../core/config.js';
import { errorMessage, isSwarmError } from '../../core/errors.js';
import { localProviders, type ModelTarget, resolveModels } from '../../models/model-ref.js';
import { PriceTable } from '../../models/prices.js';
import { RunStore } from '../../observe/run-store.js';
import { builtinTools } from '../../tools/builtins.js';
import { printJson } from '../format.js';

type Status = 'ok' | 'warn' | 'fail';

interface Check {
  name: string;
  status: Status;
  detail: string;
  hint?: string;
}

const modelList = z.object({ data: z.array(z.object({ id: z.string() })) });

/** Checks everything a run needs and says how to fix what fails. Exit 1 when something fails. */
export async function doctor(opts: { config?: string; json?: boolean }): Promise<number> {
  const checks: Check[] = [];
  const add = (check: Check) => {
    checks.push(check);
    if (!opts.json) {
      const mark =
        check.status === 'ok' ? pc.green('✓') : check.status === 'warn' ? pc.yellow('!') : pc.red('✗');
      process.stdout.write(`${mark} ${pc.bold(check.name)}: ${check.detail}\n`);
      if (check.hint && check.status !== 'ok') process.stdout.write(`  ${pc.dim('fix:')} ${check.hint}\n`);
    }
  };
  let config: SwarmConfig;
  try {
    config = loadConfig({ cwd: process.cwd(), file: opts.config });
    add({ name: 'config', status: 'ok', detail: config.file ?? 'no swarm.config.yaml: using defaults' });
  } catch (error) {
    add(failure('config', error));
    return finish(checks, opts.json);
  }
  const storeFile = resolvePath(config, config.store);
  try {
    new RunStore(storeFile).close();
    add({ name: 'store', status: 'ok', detail: `${storeFile} (writable)` });
  } catch (error) {
    add(failure('store', error));
  }
  let registry: AgentRegistry | undefined;
  try {
    registry = AgentRegistry.fromDirectory(
      resolvePath(config, config.agents),
      new Set(builtinTools().map((t) => t.name)),
    );
    const n = registry.names().length;
    add({
      name: 'agents',
      status: n ? 'ok' : 'warn',
      detail: n ? `${n} in ${config.agents}/: ${registry.names().join(', ')}` : `none in ${config.agents}/`,
      hint: 'Copy examples/agents/*.yaml into agents/ or set agents: in swarm.config.yaml.',
    });
  } catch (error) {
    add(failure('agents', error));
  }
  const targets = collectTargets(config, registry, add);
  if (targets.length === 0) {
    add({
      name: 'models',
      status: 'warn',
      detail: 'no model configured; agents cannot run',
      hint: 'Set defaultModel (e.g. openai-compatible:qwen2.5-coder) and providers.openai-compatible.baseURL, or try `swarm demo`.',
    });
  }
  const prices = PriceTable.load(config.prices, localProviders(config));
  for (const target of targets) add(await checkEndpoint(target, prices));
  return finish(checks, opts.json);
}

function collectTargets(
  config: SwarmConfig,
  registry: AgentRegistry | undefined,
  add: (c: Check) => void,
): ModelTarget[] {
  const wanted: { ref: string | string[] | undefined; who: string }[] = [];
  if (config.defaultModel) wanted.push({ ref: config.defaultModel, who: 'defaultModel' });
  for (const alias of Object.keys(config.models)) wanted.push({ ref: alias, who: `alias ${alias}` });
  for (const { manifest } of registry?.list() ?? []) {
    if (manifest.model !== undefined) wanted.push({ ref: manifest.model, who: `agent ${manifest.name}` });
  }
  const targets = new Map<string, ModelTarget>();
  for (const { ref, who } of wanted) {
    try {
      for (const t of resolveModels(config, ref, who)) targets.set(t.ref, t);
    } catch (error) {
      add(failure(`model of ${who}`, error));
    }
  }
  return [...targets.values()];
}

async function checkEndpoint(target: ModelTarget, prices: PriceTable): Promise<Check> {
  const name = `model ${target.ref}`;
  const priceNote = prices.isKnown(target.ref)
    ? ''
    : ' (no price known: a money budget cannot be enforced; add it under prices:)';
  const { type } = target.config;
  if (type !== 'openai-compatible' && type !== 'openai') {
    const keyEnv = target.config.apiKeyEnv;
    return {
      name,
      status: keyEnv && !process.env[keyEnv] ? 'fail' : 'ok',
      detail: `${type} provider configured; reachability is checked on first use${priceNote}`,
      ...(keyEnv ? { hint: `Set ${keyEnv}.` } : {}),
    };
  }
  const baseURL =
    target.config.baseURL ??
    (type === 'openai' ? 'https://api.openai.com/v1' : process.env.OPENAI_COMPATIBLE_BASE_URL);
  if (!baseURL) {
    return {
      name,
      status: 'fail',
      detail: 'no base URL',
      hint: `Set providers.${target.provider}.baseURL in swarm.config.yaml.`,
    };
  }
  const keyEnv =
    target.config.apiKeyEnv ?? (type === 'openai' ? 'OPENAI_API_KEY' : 'OPENAI_COMPATIBLE_API_KEY');
  const key = process.env[keyEnv];
  try {
    const response = await fetch(`${baseURL.replace(/\/$/, '')}/models`, {
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...target.config.headers },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) {
      return {
        name,
        status: 'fail',
        detail: `${baseURL} answered HTTP ${response.status}`,
        hint:
          response.status === 401 ? `Set a valid key in ${keyEnv}.` : 'Check the base URL and the server.',
      };
    }
    const ids = modelList.parse(await response.json()).data.map((m) => m.id);
    if (!ids.includes(target.modelId)) {
      return {
        name,
        status: 'fail',
        detail: `${baseURL} is up but does not serve "${target.modelId}"`,
        hint: `Use one of: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}`,
      };
    }
    return {
      name,
      status: priceNote ? 'warn' : 'ok',
      detail: `${baseURL} serves ${target.modelId}${priceNote}`,
    };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `${baseURL} is not reachable: ${errorMessage(error)}`,
      hint: 'Start the model server (vLLM, Ollama, llama.cpp, `swarm sim`) or fix the base URL.',
    };
  }
}

function failure(name: string, error: unknown): Check {
  return {
    name,
    status: 'fail',
    detail: errorMessage(error),
    ...(isSwarmError(error) && error.hint ? { hint: error.hint } : {}),
  };
}

function finish(checks: Check[], json: boolean | undefined): number {
  const failed = checks.some((c) => c.status === 'fail');
  if (json) printJson({ ok: !failed, checks });
  return failed ? 1 : 0;
}
