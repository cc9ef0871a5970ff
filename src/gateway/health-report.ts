import type { HealthState } from './backend-health.js';
import type { Fleet } from './fleet.js';

export interface BackendStatus {
  name: string;
  models: readonly string[];
  state: HealthState;
  /** Why it was last taken out, if it ever was. */
  reason: string | undefined;
  inFlight: number;
  maxConcurrency: number | undefined;
  load: number;
  utilization: number;
  /** Age of the last /metrics reading in ms; absent for backends that are not scraped. */
  readingAgeMs: number | undefined;
  running: number | undefined;
  waiting: number | undefined;
  kvCacheUsage: number | undefined;
  prefixCacheHitRatio: number | undefined;
  cooldowns: number;
}

export interface HealthReport {
  /** ok: everything up; degraded: some backend out but every model served; down: some model has no backend. */
  status: 'ok' | 'degraded' | 'down';
  models: Record<string, { backends: number; available: number }>;
  backends: BackendStatus[];
}

export function healthReport(fleet: Fleet, now: number): HealthReport {
  const backends = fleet.backends.map((b): BackendStatus => {
    const reading = b.lastReading();
    const state = b.health.state(now);
    return {
      name: b.name,
      models: b.aliases,
      state,
      reason: b.health.reason() || undefined,
      inFlight: b.inFlight,
      maxConcurrency: b.maxConcurrency,
      load: b.load(now),
      utilization: b.utilization(now),
      readingAgeMs: b.readingAge(now),
      running: reading?.running,
      waiting: reading?.waiting,
      kvCacheUsage: reading?.kvUsage,
      prefixCacheHitRatio: b.prefixHitRatio,
      cooldowns: b.health.cooldowns,
    };
  });
  const models: HealthReport['models'] = {};
  for (const model of fleet.models()) {
    const members = fleet.router(model).members;
    models[model] = {
      backends: members.length,
      available: members.filter((b) => b.health.available(now)).length,
    };
  }
  const counts = Object.values(models);
  const status = counts.some((m) => m.available === 0)
    ? 'down'
    : backends.every((b) => b.state === 'healthy')
      ? 'ok'
      : 'degraded';
  return { status, models, backends };
}
