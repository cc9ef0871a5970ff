import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebBuildMissingError } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** web/dist of this package, from src/server or dist/server alike. */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

/**
 * Serves the built dashboard. Unknown paths get index.html (the app routes
 * by hash, but a reload of any page must still land on it); paths never
 * leave the directory.
 */
export class StaticFiles {
  constructor(readonly dir: string) {
    if (!existsSync(join(dir, 'index.html'))) throw new WebBuildMissingError(dir);
  }

  async respond(path: string): Promise<Response> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return this.index();
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    const file = relative === '' || relative.startsWith('..') ? 'index.html' : relative;
    const full = join(this.dir, file);
    if (!full.startsWith(this.dir + sep)) return this.index();
    try {
      const body = await readFile(full);
      const hashed = file.startsWith(`assets${sep}`);
      return new Response(body, {
        headers: {
          'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
          'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return this.index();
    }
  }

  private async index(): Promise<Response> {
    return new Response(await readFile(join(this.dir, 'index.html')), {
      headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' },
    });
  }
}
