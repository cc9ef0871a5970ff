import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A `mcp.servers` entry that runs one of the reference servers from npm over stdio. */
export function referenceServer(
  name: 'server-everything' | 'server-filesystem' | 'server-memory',
  args: string[] = [],
  env: Record<string, string> = {},
) {
  return {
    command: process.execPath,
    args: [`${root}node_modules/@modelcontextprotocol/${name}/dist/index.js`, ...args],
    env,
  };
}

/** A `mcp.servers` entry that runs a TypeScript script from test/support (through tsx). */
export function supportServer(script: string, args: string[] = []) {
  // tsx by absolute URL: the server runs in a temporary directory, where `tsx` would not resolve.
  const tsx = pathToFileURL(`${root}node_modules/tsx/dist/esm/index.mjs`).href;
  return { command: process.execPath, args: ['--import', tsx, `${root}test/support/${script}`, ...args] };
}

export const REPO_ROOT = root;
