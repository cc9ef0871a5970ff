import { isLoopback } from '../core/listen-address.js';
// the gateway's virtual keys and this server's key share one format and one hashing scheme
import {
  newApiKey,
  parseStoredHash,
  presentedKey,
  secretMatches,
  splitApiKey,
} from '../gateway/keys/api-keys.js';
import { ServerKeyRequiredError, UnauthorizedError } from './errors.js';

export { newApiKey };

/**
 * The server's bearer-key check. Only a salted hash of the key is held; a
 * presented key is hashed and compared in constant time. Without a stored
 * hash the server must be on loopback, where every local user may reach it.
 */
export class ApiAuth {
  private readonly stored: ReturnType<typeof parseStoredHash> | undefined;

  constructor(host: string, keyHash: string | undefined) {
    if (!keyHash && !isLoopback(host)) throw new ServerKeyRequiredError(host);
    this.stored = keyHash ? parseStoredHash(keyHash) : undefined;
  }

  get required(): boolean {
    return this.stored !== undefined;
  }

  /** Throws `UnauthorizedError` unless the Authorization header carries the key. */
  check(authorization: string | undefined): void {
    if (!this.stored) return;
    const key = presentedKey(authorization, undefined);
    if (!key)
      throw new UnauthorizedError(
        'this server requires an API key: send it as a bearer token in the Authorization header',
      );
    const parts = splitApiKey(key);
    if (!parts || !secretMatches(parts.secret, this.stored)) {
      throw new UnauthorizedError('the API key is not valid for this server');
    }
  }
}
