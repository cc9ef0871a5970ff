export { type NewKey, newApiKey, splitApiKey } from './api-keys.js';
export { periodBounds } from './budget-period.js';
export { type AccountSnapshot, KeyAccount, type Ticket } from './key-account.js';
export { KeyRing } from './key-ring.js';
export { type KeyState, KeyStateStore } from './key-state-store.js';
export { RateWindow } from './rate-window.js';
