import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  FeedLayoutError,
  ImprovementsFormatError,
  idsSource,
  ResearchBusyError,
  type ResearchSource,
  runResearch,
} from '../../src/research/index.js';
import { fixturePath } from '../support/fixtures.js';
import { feed, startArxivServer } from './arxiv-server.js';
import { TESTING_IDS, writeProbeProject } from './probe-project.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-research-'));
  writeProbeProject(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string): ResearchSource => ({ kind: 'file', path: fixturePath('arxiv', name) });
const saved = (name: string, text: string): ResearchSource => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { kind: 'file', path };
};
const proposalIds = () =>
  readFileSync(join(dir, 'improvements.md'), 'utf8')
    .split('\n')
    .flatMap((l) => /^- \[ \] research arXiv:(\S+?)v\d+:/.exec(l)?.[1] ?? []);
const frontMatter = (id: string) =>
  parse(readFileSync(join(dir, 'data/research', `${id.replace('/', '_')}.md`), 'utf8').split('---')[1]!);

describe('research pipeline on saved feeds', () => {
  it('ranks both feeds against the project, keeps the top N, writes notes and proposals', async () => {
    const report = await runResearch({
      projectDir: dir,
      sources: [file('legacy-2016-search-10-entries.xml'), file('2026-search-10-entries.xml')],
      top: 5,
    });
    expect(report).toMatchObject({ fetched: 20, unique: 20, unchanged: 0, dropped: 15 });
    expect(report.kept).toHaveLength(5);
    for (const kept of report.kept) expect(TESTING_IDS).toContain(kept.id);
    const scores = report.kept.map((k) => k.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const notes = readdirSync(join(dir, 'data/research')).sort();
    expect(notes).toEqual([...report.kept.map((k) => `${k.id}.md`), 'index.json'].sort());
    const first = report.kept[0]!;
    const note = readFileSync(join(dir, first.note), 'utf8');
    expect(note).toContain(
      '## Summary (extractive: sentences copied from the abstract; no model is configured)',
    );
    expect(frontMatter(first.id)).toMatchObject({
      arxiv: first.id,
      version: first.version,
      summary: 'extractive',
    });
    expect(proposalIds().sort()).toEqual(report.kept.map((k) => k.id).sort());
    expect(report.proposals.sort()).toEqual(report.kept.map((k) => k.id).sort());

    // the same listing again: the kept are noted, the 15 passed over are not ranked again
    const again = await runResearch({
      projectDir: dir,
      sources: [file('legacy-2016-search-10-entries.xml'), file('2026-search-10-entries.xml')],
      top: 5,
    });
    expect(again).toMatchObject({
      fetched: 20,
      unchanged: 5,
      passedBefore: 15,
      dropped: 0,
      kept: [],
      proposals: [],
    });
  });

  it('maps papers to the modules whose descriptions rank them first', async () => {
    const report = await runResearch({
      projectDir: dir,
      sources: [file('2026-search-10-entries.xml')],
      top: 10,
    });
    const modules = Object.fromEntries(report.kept.map((k) => [k.id, k.modules]));
    expect(modules['2005.14124']?.[0]).toBe('src/fuzzing'); // Active Fuzzing ... Cyber-Physical Systems
    expect(modules['2204.08348']?.[0]).toBe('src/test-generation'); // Automated Test Generation for REST APIs
    expect(modules['2302.03287']?.[0]).toBe('src/reporting'); // ChatGPT and Software Testing Education
    const note = readFileSync(join(dir, 'data/research/2005.14124.md'), 'utf8');
    expect(note).toContain('- `src/fuzzing`: Mutation-based and active fuzzing of programs');
  });

  it('de-duplicates across runs, and a new version updates the note without a second proposal', async () => {
    const v2 = feed('legacy-2016-id-list.xml');
    const v1 = v2.replaceAll('1111.2011v2', '1111.2011v1');
    const first = await runResearch({ projectDir: dir, sources: [saved('v1.xml', v1)] });
    expect(first.kept).toMatchObject([{ id: '1111.2011', version: 1, status: 'new' }]);
    const readIndex = () => JSON.parse(readFileSync(join(dir, 'data/research/index.json'), 'utf8'));
    const firstSeen = readIndex().papers['1111.2011'].firstSeen;

    const again = await runResearch({
      projectDir: dir,
      sources: [saved('v1.xml', v1), saved('v1b.xml', v1)],
    });
    expect(again).toMatchObject({ fetched: 2, unique: 1, unchanged: 1, kept: [], proposals: [] });

    const updated = await runResearch({ projectDir: dir, sources: [file('legacy-2016-id-list.xml')] });
    expect(updated.kept).toMatchObject([{ id: '1111.2011', version: 2, status: 'updated' }]);
    expect(updated.proposals).toEqual([]);
    expect(frontMatter('1111.2011')).toMatchObject({ version: 2, updated: '2012-04-02T12:38:54Z' });
    expect(proposalIds()).toEqual(['1111.2011']);
    expect(readIndex().papers['1111.2011']).toMatchObject({
      version: 2,
      note: 'data/research/1111.2011.md',
      firstSeen,
    });
  });

  it('keeps papers asked for by id whatever their rank, even if passed over before', async () => {
    const listing = await runResearch({
      projectDir: dir,
      sources: [file('legacy-2016-search-10-entries.xml')],
      top: 1,
    });
    const passedOver = listing.kept[0]!.id === 'cond-mat/0603029' ? '1201.4869' : 'cond-mat/0603029';
    const server = await startArxivServer();
    try {
      const report = await runResearch({
        projectDir: dir,
        sources: [idsSource([passedOver]), file('2026-search-10-entries.xml')],
        top: 1,
        fetch: { apiBase: server.apiBase, intervalMs: 0 },
      });
      expect(report.kept.map((k) => k.id)).toContain(passedOver);
      expect(report.kept).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('writes nothing when a feed has a changed layout, even after a good feed', async () => {
    await runResearch({ projectDir: dir, sources: [file('2026-id-list-1-entry.xml')] });
    const before = snapshot();
    const changed = feed('2026-search-10-entries.xml').replace(
      /(<entry>[\s\S]*?<entry>[\s\S]*?)<summary>[\s\S]*?<\/summary>/,
      '$1',
    );
    const error = await runResearch({
      projectDir: dir,
      sources: [file('legacy-2016-search-10-entries.xml'), saved('changed.xml', changed)],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedLayoutError);
    expect((error as Error).message).toContain('entry 2 of 10: missing <summary>');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a malformed improvements.md before fetching, and leaves it as it was', async () => {
    const text = '# Improvements\n\n<<<<<<< HEAD\n- one\n=======\n- two\n>>>>>>> other\n';
    writeFileSync(join(dir, 'improvements.md'), text);
    const error = await runResearch({ projectDir: dir, sources: [file('2026-id-list-1-entry.xml')] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImprovementsFormatError);
    expect(error).toMatchObject({ line: 3 });
    expect(readFileSync(join(dir, 'improvements.md'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('refuses to run while another research run holds the project, and leaves everything as it was', async () => {
    mkdirSync(join(dir, '.swarm'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dir, '.swarm', 'research.lock'), String(other.pid));
      const before = existsSync(join(dir, 'improvements.md')) ? snapshot() : {};
      await expect(
        runResearch({ projectDir: dir, sources: [file('2026-search-10-entries.xml')] }),
      ).rejects.toThrow(ResearchBusyError);
      expect(existsSync(join(dir, 'improvements.md')) ? snapshot() : {}).toEqual(before);
    } finally {
      other.kill();
    }
    // once that process is gone its lock is taken over
    await new Promise((r) => other.once('exit', r));
    const report = await runResearch({
      projectDir: dir,
      sources: [file('2026-search-10-entries.xml')],
      top: 1,
    });
    expect(report.kept).toHaveLength(1);
    expect(existsSync(join(dir, '.swarm', 'research.lock'))).toBe(false);
  });

  it('handles a feed with zero entries: nothing kept, nothing written', async () => {
    const report = await runResearch({ projectDir: dir, sources: [file('2026-empty-result.xml')] });
    expect(report).toMatchObject({ fetched: 0, kept: [], proposals: [] });
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(existsSync(join(dir, 'improvements.md'))).toBe(false);
  });
});

function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const notes = join(dir, 'data/research');
  for (const name of existsSync(notes) ? readdirSync(notes) : [])
    out[name] = readFileSync(join(notes, name), 'utf8');
  out['improvements.md'] = readFileSync(join(dir, 'improvements.md'), 'utf8');
  return out;
}
