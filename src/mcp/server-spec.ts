import { z } from 'zod';
import type { FileProblem } from '../core/errors.js';
import type { Locator } from '../core/structured-file.js';
import { McpConfigError } from './errors.js';

/** The `mcp:` section of swarm.config.yaml. */
export const mcpSectionSchema = z.strictObject({
  /** Servers by name: `{ command, args, env, cwd }` (stdio) or `{ url, headers }` (Streamable HTTP). */
  servers: z.record(z.string(), z.unknown()).default({}),
  /** Also read `.mcp.json`, `mcp.json` and `.vscode/mcp.json` from the workspace. */
  discover: z.boolean().default(true),
  timeouts: z
    .strictObject({
      initializeMs: z.number().int().positive().default(15_000),
      callMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  reconnect: z
    .strictObject({
      baseDelayMs: z.number().int().positive().default(250),
      maxDelayMs: z.number().int().positive().default(10_000),
      /** Consecutive failed reconnects before the server is marked failed (a later call tries again). */
      maxAttempts: z.number().int().min(1).default(8),
    })
    .prefault({}),
  /** Where the tool index (a memory store) is kept. */
  indexDir: z.string().min(1).default('.swarm/mcp-index'),
});
export type McpSection = z.output<typeof mcpSectionSchema>;

const SERVER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,47}$/;
const stringMap = z.record(z.string(), z.string());

const common = {
  type: z.string().optional(),
  disabled: z.boolean().optional(),
  /** Per-call timeout for this server's tools, overriding mcp.timeouts.callMs. */
  timeoutMs: z.number().int().positive().optional(),
};
// Loose: mcp.json files written for other clients carry keys Swarm does not use (autoApprove, envFile...).
const stdioEntry = z.looseObject({
  ...common,
  command: z.string().min(1, 'must name the program to run'),
  args: z.array(z.string()).default([]),
  env: stringMap.default({}),
  cwd: z.string().min(1).optional(),
});
const httpEntry = z.looseObject({
  ...common,
  url: z.url('must be an http(s) URL such as http://127.0.0.1:3000/mcp'),
  headers: stringMap.default({}),
});

export type McpTransportSpec =
  | { kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { kind: 'http'; url: string; headers: Record<string, string> };

/** One server, resolved: environment references replaced, ready to connect. */
export interface McpServerSpec {
  name: string;
  /** The file (or config section) it came from. */
  source: string;
  transport: McpTransportSpec;
  timeoutMs?: number;
  /** What may be shown to a user: the command or URL, and only the names of env vars and headers. */
  display: string;
}

export interface SpecProblems {
  specs: McpServerSpec[];
  /** Servers left out, with why (disabled, an unsupported transport, an unresolvable input). */
  skipped: { name: string; source: string; reason: string }[];
}

const ENV_REF = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g;
const OTHER_REF = /\$\{([a-zA-Z]+):[^}]*\}/;

/**
 * Turns a map of server entries into specs. Shape errors are collected for
 * the whole file and thrown together, naming each field; a reference to an
 * unset environment variable is such an error too.
 */
export function parseServerEntries(
  entries: Record<string, unknown>,
  source: string,
  fieldPrefix: readonly string[],
  options: { env?: NodeJS.ProcessEnv; locate?: Locator } = {},
): SpecProblems {
  const env = options.env ?? process.env;
  const problems: FileProblem[] = [];
  const problem = (path: (string | number)[], message: string) => {
    const pos = options.locate?.(path);
    problems.push({ path: path.join('.'), message, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  };
  const result: SpecProblems = { specs: [], skipped: [] };
  for (const [name, raw] of Object.entries(entries)) {
    const here = [...fieldPrefix, name];
    const at = here.join('.');
    if (!SERVER_NAME.test(name)) {
      problem(
        here,
        'server names must be letters, digits, _ . or -, starting with a letter or digit (max 48)',
      );
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problem(here, 'must be an object with `command` (stdio) or `url` (HTTP)');
      continue;
    }
    const entry = raw as Record<string, unknown>;
    if (entry.disabled === true) {
      result.skipped.push({ name, source, reason: 'disabled' });
      continue;
    }
    if (entry.type === 'sse') {
      result.skipped.push({
        name,
        source,
        reason:
          'the SSE transport is deprecated and not supported; use the Streamable HTTP URL of the server',
      });
      continue;
    }
    const isHttp = 'url' in entry || entry.type === 'http' || entry.type === 'streamable-http';
    if (!isHttp && !('command' in entry)) {
      problem(here, 'needs `command` (a stdio server) or `url` (a Streamable HTTP server)');
      continue;
    }
    const parsed = (isHttp ? httpEntry : stdioEntry).safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem([...here, ...issue.path.map(String)], issue.message);
      continue;
    }
    const missing: string[] = [];
    const unsupported: string[] = [];
    const expand = (value: string, field: string) => {
      const other = OTHER_REF.exec(value);
      if (other && other[1] !== 'env') unsupported.push(`${field} uses \${${other[1]}:…}`);
      return value.replace(ENV_REF, (_m, variable: string) => {
        const v = env[variable];
        if (v === undefined) missing.push(`${field} needs the environment variable ${variable}`);
        return v ?? '';
      });
    };
    const expandMap = (map: Record<string, string>, field: string) =>
      Object.fromEntries(Object.entries(map).map(([k, v]) => [k, expand(v, `${at}.${field}.${k}`)]));
    let transport: McpTransportSpec;
    let display: string;
    if (isHttp) {
      const h = parsed.data as z.output<typeof httpEntry>;
      transport = { kind: 'http', url: expand(h.url, `${at}.url`), headers: expandMap(h.headers, 'headers') };
      display = `${h.url}${Object.keys(h.headers).length ? ` (headers: ${Object.keys(h.headers).join(', ')})` : ''}`;
    } else {
      const s = parsed.data as z.output<typeof stdioEntry>;
      transport = {
        kind: 'stdio',
        command: expand(s.command, `${at}.command`),
        args: s.args.map((a, i) => expand(a, `${at}.args.${i}`)),
        env: expandMap(s.env, 'env'),
        ...(s.cwd ? { cwd: expand(s.cwd, `${at}.cwd`) } : {}),
      };
      display =
        [s.command, ...s.args].join(' ') +
        (Object.keys(s.env).length ? ` (env: ${Object.keys(s.env).join(', ')})` : '');
    }
    if (unsupported.length) {
      result.skipped.push({
        name,
        source,
        reason: `${unsupported.join('; ')}: only \${env:NAME} references can be resolved outside an editor`,
      });
      continue;
    }
    for (const m of missing) problem(here, m);
    if (missing.length) continue;
    result.specs.push({
      name,
      source,
      transport,
      display,
      ...(parsed.data.timeoutMs === undefined ? {} : { timeoutMs: parsed.data.timeoutMs }),
    });
  }
  if (problems.length) throw new McpConfigError(source, problems);
  return result;
}

export function parseMcpSection(raw: unknown, source: string): McpSection {
  const parsed = mcpSectionSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new McpConfigError(
      source,
      parsed.error.issues.map((i) => ({ path: ['mcp', ...i.path].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
