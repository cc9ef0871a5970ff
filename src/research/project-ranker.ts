import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../memory/index.js';
import type { Paper } from './atom-feed.js';
import { type ProfileDocument, projectProfile } from './project-profile.js';

export interface Relevance {
  /** Reciprocal-rank fusion over the project's descriptions; only comparable within one batch. */
  score: number;
  /** Modules whose description ranks the paper highest, best first. */
  modules: { module: string; rank: number }[];
}

/** Reciprocal-rank fusion's constant (Cormack et al.). */
const RRF_K = 60;
const MODULES_KEPT = 3;
/** The README and roadmap say what the project is for; they weigh more than one module. */
const PROJECT_WEIGHT = 2;

/**
 * Ranks a batch of papers by relevance to the target project through
 * memory: the papers go into a memory store, and each of the project's own
 * descriptions (README, roadmap, one per module) is a hybrid query
 * (BM25 and hashed vectors) against them. A query ranks every paper on the
 * same scale, so ranks are fused across queries; the modules whose queries
 * rank a paper near the top are the ones it could improve.
 */
export class ProjectRanker {
  private constructor(readonly profile: ProfileDocument[]) {}

  static async open(projectDir: string): Promise<ProjectRanker> {
    return new ProjectRanker(await projectProfile(projectDir));
  }

  get modules(): string[] {
    return this.profile.flatMap((d) => (d.module ? [d.module] : []));
  }

  async rank(papers: readonly Paper[]): Promise<Map<string, Relevance>> {
    const out = new Map<string, Relevance>(papers.map((p) => [p.id, { score: 0, modules: [] }]));
    if (papers.length === 0 || this.profile.length === 0) return out;
    const dir = await mkdtemp(join(tmpdir(), 'swarm-research-'));
    const store = await MemoryStore.open({ dir, background: false });
    try {
      await store.ingestDocuments(
        papers.map((p) => ({ path: `papers/${p.id}`, text: `${p.title}\n\n${p.abstract}`, kind: 'text' })),
        { source: 'papers' },
      );
      const moduleRanks = new Map<string, { module: string; rank: number }[]>();
      // only a query's top quarter counts (at least 3): past that a long query matches on stray words
      const cutoff = Math.max(3, Math.ceil(papers.length / 4));
      for (const doc of this.profile) {
        const { hits } = await store.search({
          query: doc.text,
          k: Math.min(1000, papers.length),
          mode: 'hybrid',
          dedupe: 'off',
        });
        const seen = new Set<string>();
        for (const hit of hits) {
          const id = hit.path.slice('papers/'.length);
          if (seen.has(id)) continue;
          seen.add(id);
          if (seen.size > cutoff) break;
          const relevance = out.get(id);
          if (!relevance) continue;
          relevance.score += (doc.module ? 1 : PROJECT_WEIGHT) / (RRF_K + seen.size);
          if (doc.module) {
            const list = moduleRanks.get(id) ?? [];
            list.push({ module: doc.module, rank: seen.size });
            moduleRanks.set(id, list);
          }
        }
      }
      for (const [id, list] of moduleRanks) {
        out.get(id)!.modules = list.sort((a, b) => a.rank - b.rank).slice(0, MODULES_KEPT);
      }
      return out;
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
}
