/**
 * The tool corpus of bench/mcp-tool-index.ts: the reference MCP servers'
 * real tools (listed live by the caller) plus synthesised tools of the kind
 * MCP servers offer across many domains, generated deterministically from
 * a seed so every run indexes the same 1,000 descriptions. The domains,
 * their entities and their own actions are in bench/data/mcp-tool-domains.json.
 *
 *   npx tsx bench/mcp-tool-corpus.ts > /tmp/corpus.json   (prints the synthesised part)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedTool } from '../src/mcp/index.js';
import { BENCH_DIR } from './lib/measure.js';

interface Entity {
  name: string;
  plural: string;
  /** Parameter names with descriptions. */
  fields: [string, string][];
}

interface Domain {
  server: string;
  product: string;
  scope: string;
  entities: Entity[];
  /** Domain verbs beyond CRUD: [verb, entity, description]. */
  actions: [string, string, string][];
}

const { domains: DOMAINS } = JSON.parse(
  readFileSync(join(BENCH_DIR, 'data', 'mcp-tool-domains.json'), 'utf8'),
) as { domains: Domain[] };

const VERBS = ['list', 'get', 'create', 'update', 'delete', 'search'] as const;
type Verb = (typeof VERBS)[number];

const TEMPLATES: Record<Verb, string[]> = {
  list: [
    'List {plural} in {product}.',
    'Returns the {plural} of a {product} {scope}, paginated.',
    'Get a page of {plural} from {product}, optionally filtered by {field}.',
  ],
  get: [
    'Get one {entity} from {product} by its id.',
    'Fetch the details of a {product} {entity}, including {field}.',
    'Retrieve a single {entity} of the {product} {scope}.',
  ],
  create: [
    'Create a new {entity} in {product}.',
    'Add a {entity} to the {product} {scope} with the given {field}.',
    'Creates a {product} {entity} and returns its id.',
  ],
  update: [
    'Update the fields of an existing {product} {entity}.',
    'Change the {field} of a {entity} in {product}.',
    'Edit a {entity} in the {product} {scope}.',
  ],
  delete: [
    'Delete a {entity} from {product}. This cannot be undone.',
    'Permanently remove a {product} {entity}.',
    'Deletes the given {entity} of the {product} {scope}.',
  ],
  search: [
    'Search {plural} in {product} by keyword.',
    'Find {product} {plural} matching a query on {field}.',
    'Full-text search over the {plural} of a {product} {scope}.',
  ],
};

/** mulberry32: a small seeded generator, so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snake = (words: string) => words.toLowerCase().replace(/[^a-z0-9]+/g, '_');
const camel = (words: string) => snake(words).replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const kebab = (words: string) => snake(words).replace(/_/g, '-');

/** Every tool the domains can make: CRUD and search per entity, plus each domain's own actions. */
function candidates(random: () => number): IndexedTool[] {
  const tools: IndexedTool[] = [];
  for (const d of DOMAINS) {
    const style = [snake, camel, kebab][Math.floor(random() * 3)]!;
    for (const entity of d.entities) {
      for (const verb of VERBS) {
        const words =
          verb === 'list' || verb === 'search' ? `${verb} ${entity.plural}` : `${verb} ${entity.name}`;
        const [field] = entity.fields[Math.floor(random() * entity.fields.length)]!;
        const template = TEMPLATES[verb][Math.floor(random() * TEMPLATES[verb].length)]!;
        const description = template
          .replaceAll('{plural}', entity.plural)
          .replaceAll('{entity}', entity.name)
          .replaceAll('{product}', d.product)
          .replaceAll('{scope}', d.scope)
          .replaceAll('{field}', field.replaceAll('_', ' '))
          .replace(/\ba ([AEIOU])/g, 'an $1');
        const properties: Record<string, { type: string; description: string }> = {};
        if (verb === 'get' || verb === 'update' || verb === 'delete')
          properties.id = { type: 'string', description: `The ${entity.name} id` };
        if (verb === 'search') properties.query = { type: 'string', description: 'Search terms' };
        if (verb === 'list') properties.limit = { type: 'number', description: 'Page size' };
        if (verb === 'create' || verb === 'update')
          for (const [name, text] of entity.fields) properties[name] = { type: 'string', description: text };
        tools.push({
          name: `${d.server}__${style(words)}`,
          server: d.server,
          description,
          inputSchema: { type: 'object', properties },
        });
      }
    }
    for (const [verb, entity, description] of d.actions) {
      const words = verb.includes('_') ? verb.replaceAll('_', ' ') : `${verb} ${entity}`;
      tools.push({
        name: `${d.server}__${style(words)}`,
        server: d.server,
        description,
        inputSchema: {
          type: 'object',
          properties: { [snake(entity)]: { type: 'string', description: `The ${entity}` } },
        },
      });
    }
  }
  return tools;
}

/**
 * `count` synthesised tools drawn without replacement, by the seeded
 * generator, from everything the domains can make. Names are unique.
 */
export function synthesiseTools(count: number, seed = 8): IndexedTool[] {
  const random = rng(seed);
  const all = candidates(random);
  const unique = [...new Map(all.map((t) => [t.name, t])).values()];
  if (unique.length < count)
    throw new Error(`the domains make only ${unique.length} tools, fewer than ${count}`);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  return unique.slice(0, count);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 964);
  process.stdout.write(`${JSON.stringify(synthesiseTools(n), null, 1)}\n`);
}
