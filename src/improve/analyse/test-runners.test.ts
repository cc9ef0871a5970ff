import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetectedCommand } from './commands.js';
import { testInvocation } from './test-runners.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-runners-'));
writeFileSync(
  join(dir, 'package.json'),
  JSON.stringify({ scripts: { test: 'vitest run', chained: 'tsc && vitest run', unit: 'jest' } }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const command = (argv: string[]): DetectedCommand => ({ argv, source: 'test' });

describe('testInvocation', () => {
  it('asks vitest and jest for per-test JSON whether called by a script, directly or through npx', async () => {
    const viaScript = await testInvocation(dir, command(['npm', 'test']), '/r.json');
    expect(viaScript).toMatchObject({ runner: 'vitest', reportFile: '/r.json' });
    expect(viaScript.argv).toEqual(['npm', 'test', '--', '--reporter=json', '--outputFile=/r.json']);
    const viaNpx = await testInvocation(dir, command(['npx', 'vitest', 'run', 'src/a']), '/r.json');
    expect(viaNpx.runner).toBe('vitest');
    expect(viaNpx.argv).toEqual(['npx', 'vitest', 'run', 'src/a', '--reporter=json', '--outputFile=/r.json']);
    const jest = await testInvocation(dir, command(['node_modules/.bin/jest', '--ci']), '/j.json');
    expect(jest.argv).toEqual(['node_modules/.bin/jest', '--ci', '--json', '--outputFile=/j.json']);
  });

  it('runs a chained script or an unknown program as written, judged by its exit code', async () => {
    expect((await testInvocation(dir, command(['npm', 'run', 'chained']), '/r.json')).runner).toBe('unknown');
    const make = await testInvocation(dir, command(['make', 'test']), '/r.json');
    expect(make).toMatchObject({ runner: 'unknown', argv: ['make', 'test'] });
  });
});
