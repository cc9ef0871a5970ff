import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CascadeContext } from '../core/context.js';
import { EventBus } from '../core/events.js';
import { AmbiguousRunIdError, RunNotFoundError, StoreReadOnlyError, StoreVersionError } from './errors.js';
import { SCHEMA_VERSION } from './migrations.js';
import { SecretRedactor } from './redact.js';
import { RunStore } from './run-store.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'swarm-store-')), 'swarm.db');

describe('RunStore', () => {
  it('projects events into runs and lineage nodes', () => {
    const store = new RunStore(tempFile());
    const bus = new EventBus();
    store.attach(bus);
    const root = CascadeContext.createRun({ agent: 'lead', task: 'do it', events: bus });
    root.emit('run.started', { task: 'do it', tenantId: 'default', budget: {} });
    root.emit('agent.started', { task: 'do it', fingerprint: root.fingerprint });
    const child = root.child({ agent: 'helper', task: 'part' });
    child.emit('agent.started', { task: 'part', fingerprint: child.fingerprint, parentNodeId: root.nodeId });
    const call = { model: 'm', attempt: 1, ok: true, cachedTokens: 0, latencyMs: 1 };
    child.emit('model.call', { ...call, inputTokens: 10, outputTokens: 5, costUsd: 0.5 });
    child.emit('model.delta', { text: 'not stored' });
    child.emit('agent.finished', { outcome: 'failed', error: 'boom', guard: 'cycle' });
    root.emit('model.call', { ...call, inputTokens: 1, outputTokens: 2, costUsd: 0.25 });
    root.emit('agent.finished', { outcome: 'succeeded', output: 'done' });
    root.emit('run.finished', { outcome: 'succeeded', output: 'done' });
    const { run, nodes } = store.getRun(root.runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      output: 'done',
      inputTokens: 11,
      outputTokens: 7,
      costUsd: 0.75,
    });
    expect(nodes.map((n) => [n.agent, n.status, n.parentId, n.guard, n.modelCalls])).toEqual([
      ['lead', 'succeeded', null, null, 1],
      ['helper', 'failed', root.nodeId, 'cycle', 1],
    ]);
    const events = store.events(root.runId);
    expect(events.map((e) => e.type)).not.toContain('model.delta');
    expect(events).toHaveLength(8);
    expect(store.events(root.runId, { afterSeq: events[5]!.seq }).map((e) => e.type)).toEqual([
      'agent.finished',
      'run.finished',
    ]);
    store.close();
  });

  it('finds runs by a unique prefix', () => {
    const store = new RunStore(tempFile());
    const bus = new EventBus();
    store.attach(bus);
    const ids = ['run_aaa1', 'run_aaa2', 'run_b'];
    for (const runId of ids) {
      CascadeContext.createRun({ agent: 'a', task: 't', events: bus, runId }).emit('run.started', {
        task: 't',
        tenantId: 'default',
        budget: {},
      });
    }
    expect(store.resolveRunId('run_b')).toBe('run_b');
    expect(store.resolveRunId('run_aaa2')).toBe('run_aaa2');
    expect(() => store.resolveRunId('run_aaa')).toThrow(AmbiguousRunIdError);
    expect(() => store.resolveRunId('run_zzz')).toThrow(RunNotFoundError);
    store.close();
  });

  it('keeps events in memory when a write fails and writes them on the next flush', async () => {
    const file = tempFile();
    const errors: Error[] = [];
    const store = new RunStore(file, { onError: (e) => errors.push(e), busyTimeoutMs: 0 });
    const bus = new EventBus();
    store.attach(bus);
    const blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');
    const ctx = CascadeContext.createRun({ agent: 'a', task: 't', events: bus });
    ctx.emit('run.started', { task: 't', tenantId: 'default', budget: {} });
    ctx.emit('run.finished', { outcome: 'succeeded' });
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/could not write 2 events/);
    blocker.exec('COMMIT');
    blocker.close();
    store.flush();
    expect(store.getRun(ctx.runId).run.status).toBe('succeeded');
    store.close();
  });

  it('refuses a store file marked read-only', () => {
    const file = tempFile();
    new RunStore(file).close();
    chmodSync(file, 0o444);
    expect(() => new RunStore(file)).toThrow(StoreReadOnlyError);
  });

  it('migrates a new file and refuses one from a newer version', () => {
    const file = tempFile();
    new RunStore(file).close();
    const db = new Database(file);
    const version = () =>
      db.prepare(`SELECT version FROM schema_versions WHERE component = 'runs'`).pluck().get();
    expect(version()).toBe(SCHEMA_VERSION);
    db.prepare(`UPDATE schema_versions SET version = ? WHERE component = 'runs'`).run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => new RunStore(file)).toThrow(StoreVersionError);
  });

  it('stores event payloads with secrets redacted, including values its redactor was told about', () => {
    const store = new RunStore(tempFile(), { redactor: new SecretRedactor(['configured-header-value']) });
    const bus = new EventBus();
    store.attach(bus);
    const ctx = CascadeContext.createRun({ agent: 'ops', task: 'deploy', events: bus });
    ctx.emit('run.started', {
      task: 'use sk-abcdef0123456789 and configured-header-value',
      tenantId: 'default',
      budget: {},
    });
    ctx.emit('tool.call', {
      tool: 'deploy',
      callId: 'c1',
      args: '{"Authorization":"Bearer abcdefghijklmnop"}',
      ok: true,
      result: 'ok',
      latencyMs: 1,
    });
    const stored = JSON.stringify([store.events(ctx.runId), store.getRun(ctx.runId).run]);
    expect(stored).not.toMatch(/sk-abcdef|configured-header-value|abcdefghijklmnop/);
    expect(stored).toContain('use [REDACTED] and [REDACTED]');
    store.close();
  });
});
