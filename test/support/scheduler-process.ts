/**
 * One scheduler node in its own process, for leader-election tests:
 *   node --import tsx test/support/scheduler-process.ts <engine-url> <name> <lease-ms>
 * Prints "<name> leader" / "<name> follower" on every change of role.
 */
import { openBackend } from '../../src/engine/open-backend.js';
import { Scheduler } from '../../src/engine/scheduler.js';

const [url, name, leaseMs] = process.argv.slice(2) as [string, string, string];
const backend = await openBackend(url);
const kv = await backend.kv('scheduler');
new Scheduler({
  kv,
  node: name,
  leaseMs: Number(leaseMs),
  onLeadership: (leader) => process.stdout.write(`${name} ${leader ? 'leader' : 'follower'}\n`),
}).start();
process.stdout.write(`${name} started\n`);
