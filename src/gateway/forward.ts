export { forward } from './forward/forward.js';
export type { GatewayCore } from './forward/gateway-core.js';
