import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import { backendConformance } from '../support/backend-conformance.js';

backendConformance(
  'sqlite',
  async () => new SqliteBackend(join(mkdtempSync(join(tmpdir(), 'swarm-engine-')), 'engine.db')),
);
