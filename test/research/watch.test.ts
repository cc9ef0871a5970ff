import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ResearchReport, watchImprovements } from '../../src/research/index.js';
import { type ArxivServer, startArxivServer } from './arxiv-server.js';
import { writeProbeProject } from './probe-project.js';

let dir: string;
let server: ArxivServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-research-watch-'));
  writeProbeProject(dir);
  server = await startArxivServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reports and errors as they come, each awaited in turn: the test waits on events, not on time. */
function inbox<T>() {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    push(item: T) {
      const waiter = waiters.shift();
      if (waiter) waiter(item);
      else items.push(item);
    },
    get waiting(): number {
      return items.length;
    },
    next(): Promise<T> {
      const item = items.shift();
      if (item !== undefined) return Promise.resolve(item);
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function startWatch() {
  const reports = inbox<ResearchReport>();
  const errors = inbox<unknown>();
  const controller = new AbortController();
  const watching = watchImprovements({
    projectDir: dir,
    fetch: { apiBase: server.apiBase, intervalMs: 0 },
    debounceMs: 50,
    signal: controller.signal,
    onReport: (r) => reports.push(r),
    onError: (e) => errors.push(e),
  });
  return { reports, errors, controller, watching };
}

describe('swarm research watch', () => {
  it('processes each new arXiv link in improvements.md once, through the loopback API', async () => {
    const improvements = join(dir, 'improvements.md');
    writeFileSync(
      improvements,
      '# Improvements\n\nRead https://arxiv.org/abs/1605.08386v1 and https://github.com/x/y\n',
    );
    const { reports, errors, controller, watching } = startWatch();
    try {
      const first = await reports.next();
      expect(first.links).toEqual({
        processed: ['https://arxiv.org/abs/1605.08386v1'],
        ignored: ['https://github.com/x/y'],
      });
      expect(first.kept.map((k) => k.id)).toEqual(['1605.08386']);
      expect(server.requests.map((r) => r.url.searchParams.get('id_list'))).toEqual(['1605.08386v1']);

      // runs that our own proposal appends start find nothing new: skip them
      const nextWithLinks = async () => {
        for (;;) {
          const report = await reports.next();
          if (report.links.processed.length > 0) return report;
          expect(report.kept).toEqual([]);
        }
      };
      appendFileSync(improvements, '\nAlso https://arxiv.org/abs/cond-mat/0603029 (old-style id).\n');
      const second = await nextWithLinks();
      expect(second.links.processed).toEqual(['https://arxiv.org/abs/cond-mat/0603029']);
      expect(second.kept.map((k) => k.id)).toEqual(['cond-mat/0603029']);
      expect(server.requests).toHaveLength(2);

      appendFileSync(
        improvements,
        '\nOnce more https://arxiv.org/abs/1605.08386v1, and https://arxiv.org/abs/1111.2011v2\n',
      );
      const third = await nextWithLinks();
      expect(third.links.processed).toEqual(['https://arxiv.org/abs/1111.2011v2']);
      expect(server.requests.slice(2).map((r) => r.url.searchParams.get('id_list'))).toEqual(['1111.2011v2']);

      const text = readFileSync(improvements, 'utf8');
      expect(text.match(/research arXiv:1605\.08386v1/g)).toHaveLength(1);
      expect(text.match(/research arXiv:cond-mat\/0603029v1/g)).toHaveLength(1);
      expect(text.match(/research arXiv:1111\.2011v2/g)).toHaveLength(1);
      expect(errors.waiting).toBe(0);
    } finally {
      controller.abort();
      await watching;
    }
  });

  it('reports a malformed improvements.md and keeps watching until it is fixed', async () => {
    const improvements = join(dir, 'improvements.md');
    writeFileSync(improvements, '# x\n```\nhttps://arxiv.org/abs/1605.08386v1\n');
    const { reports, errors, controller, watching } = startWatch();
    try {
      expect(await errors.next()).toMatchObject({ code: 'improvements_format', line: 2 });
      expect(server.requests).toHaveLength(0);
      writeFileSync(improvements, '# x\n```\ncode\n```\nhttps://arxiv.org/abs/1605.08386v1\n');
      let report = await reports.next();
      while (report.kept.length === 0) report = await reports.next();
      expect(report.kept.map((k) => k.id)).toEqual(['1605.08386']);
    } finally {
      controller.abort();
      await watching;
    }
  });
});
