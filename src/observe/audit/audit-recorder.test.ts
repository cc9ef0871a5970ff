import { describe, expect, it } from 'vitest';
import { type AnyEvent, EventBus } from '../../core/events.js';
import { SecretRedactor } from '../redact.js';
import type { AuditEntry } from './audit-record.js';
import { AuditRecorder } from './audit-recorder.js';

const event = (type: string, data: Record<string, unknown>, agent = 'improve') =>
  ({ type, runId: 'run_1', nodeId: 'node_1', agent, depth: 0, ts: 1, data }) as unknown as AnyEvent;

describe('AuditRecorder', () => {
  it('records kept and rolled-back edits and merges by event name, and skips what changes nothing', () => {
    const entries: AuditEntry[] = [];
    const bus = new EventBus();
    new AuditRecorder(
      { append: (e) => entries.push(e) },
      {
        hasSideEffects: (tool) => tool === 'write_file',
        redactor: new SecretRedactor(),
      },
    ).attach(bus);
    const candidate = { runId: 'run_1', candidateId: 'c1', skill: 'split-file', reason: 'tests pass' };
    bus.emit(event('improve.candidate', { ...candidate, outcome: 'kept', branch: 'swarm/c1' }));
    bus.emit(event('improve.candidate', { ...candidate, candidateId: 'c2', outcome: 'rolled_back' }));
    bus.emit(event('improve.candidate', { ...candidate, candidateId: 'c3', outcome: 'skipped' }));
    bus.emit(
      event('improve.merge', {
        runId: 'run_1',
        target: 'main',
        merged: ['swarm/c1'],
        dropped: [],
        outcome: 'integrated',
      }),
    );
    const call = { callId: 'x', args: '{}', ok: true, result: 'ok', latencyMs: 1 };
    bus.emit(event('tool.call', { ...call, tool: 'read_file' }, 'coder'));
    bus.emit(event('tool.call', { ...call, tool: 'write_file' }, 'coder'));
    bus.emit(event('model.call', { model: 'm', ok: true }, 'coder'));
    bus.emit(event('guard.tripped', { guard: 'depth', message: 'too deep' }, 'coder'));
    expect(entries.map((e) => [e.kind, e.actor])).toEqual([
      ['edit.kept', 'improve'],
      ['edit.rolled_back', 'improve'],
      ['merge', 'improve'],
      ['tool.call', 'coder'],
      ['guard.refusal', 'coder'],
    ]);
    expect(entries[0]!.data).toMatchObject({
      candidateId: 'c1',
      skill: 'split-file',
      branch: 'swarm/c1',
      nodeId: 'node_1',
    });
    expect(entries[2]!.data).toMatchObject({ merged: ['swarm/c1'], outcome: 'integrated' });
  });
});
