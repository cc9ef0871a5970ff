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

/** A `mcp.servers` entry that runs a script from test/support: plain node for .mjs, through tsx for .ts. */
export function supportServer(script: string, args: string[] = []) {
  const loader = script.endsWith('.ts') ? ['--import', TSX_IMPORT] : [];
  return { command: process.execPath, args: [...loader, `${root}test/support/${script}`, ...args] };
}

export const REPO_ROOT = root;

/** tsx's loader by absolute URL: servers run in temporary directories, where `--import tsx` would not resolve. */
export const TSX_IMPORT = pathToFileURL(`${root}node_modules/tsx/dist/esm/index.mjs`).href;
