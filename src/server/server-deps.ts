import type { Runtime } from '../agents/index.js';
import type { EventFeed } from './event-feed.js';
import type { RunManager } from './run-manager.js';
import type { ServerConfig } from './server-config.js';
import type { StoreReader } from './store-reader.js';
import type { WorkflowService } from './workflow-service.js';

/** The gateway's view when it runs in this process (its backends' health and load). */
export interface InProcessGateway {
  backends(): unknown[];
}

/** What the routes work with; `startServer` wires it. */
export interface ServerDeps {
  runtime: Runtime;
  reader: StoreReader;
  feed: EventFeed;
  runs: RunManager;
  workflows: WorkflowService | undefined;
  gateway: InProcessGateway | undefined;
  config: ServerConfig;
  /** Where the runtime's manifests were read from. */
  agentsDir: string;
  node: string;
}
