export { ApiAuth, newApiKey } from './api-auth.js';
export * from './errors.js';
export { DEFAULT_PORT, parseServerConfig, type ServerConfig, serverConfigSchema } from './server-config.js';
export type { InProcessGateway } from './server-deps.js';
export { type StartServerOptions, type SwarmServer, startServer } from './start-server.js';
export { defaultWebDir } from './static-files.js';
