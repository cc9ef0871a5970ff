import type { KeyConfig } from '../config.js';
import { AuthenticationError, ModelNotAllowedError } from '../errors.js';
import { parseStoredHash, presentedKey, secretMatches, splitApiKey } from './api-keys.js';
import { KeyAccount } from './key-account.js';
import type { KeyStateStore } from './key-state-store.js';

interface Entry {
  account: KeyAccount;
  stored: { salt: string; digest: Buffer };
}

/**
 * The configured virtual keys. With none configured the gateway is open
 * (it listens on loopback unless told otherwise); with any, every request
 * under /v1 needs one of them.
 */
export class KeyRing {
  private readonly entries = new Map<string, Entry>();

  constructor(
    keys: readonly KeyConfig[],
    private readonly store?: KeyStateStore,
    holdMs = 0,
  ) {
    for (const key of keys) {
      this.entries.set(key.id, {
        account: new KeyAccount(key, store, holdMs),
        stored: parseStoredHash(key.hash),
      });
    }
  }

  /** Whether any key has a limit, and so needs a state store. */
  static needsStore(keys: readonly KeyConfig[]): boolean {
    return keys.some((k) => k.rpm !== undefined || k.tpm !== undefined || k.budget !== undefined);
  }

  /** Reads the limited keys' stored spend and windows (after a restart, say). */
  async load(): Promise<void> {
    const limited = this.accounts().filter((a) => a.limited);
    await this.store?.load(limited.map((a) => a.config.id));
  }

  get open(): boolean {
    return this.entries.size === 0;
  }

  /** The account of the presented key; throws AuthenticationError. Undefined when the gateway is open. */
  authenticate(
    authorization: string | undefined,
    apiKeyHeader: string | string[] | undefined,
  ): KeyAccount | undefined {
    if (this.open) return undefined;
    const key = presentedKey(authorization, apiKeyHeader);
    if (key === undefined) throw new AuthenticationError('No API key was sent');
    const parts = splitApiKey(key);
    const entry = parts && this.entries.get(parts.id);
    if (!parts || !entry || !secretMatches(parts.secret, entry.stored)) {
      throw new AuthenticationError('The API key is not valid for this gateway');
    }
    return entry.account;
  }

  /** Throws ModelNotAllowedError when the key is limited to other models. */
  checkModel(account: KeyAccount | undefined, model: string): void {
    const allowed = account?.config.models;
    if (allowed && !allowed.includes(model))
      throw new ModelNotAllowedError(account.config.id, model, allowed);
  }

  /** Whether the key (or an open gateway) may see `model` in /v1/models. */
  allows(account: KeyAccount | undefined, model: string): boolean {
    const allowed = account?.config.models;
    return !allowed || allowed.includes(model);
  }

  accounts(): KeyAccount[] {
    return [...this.entries.values()].map((e) => e.account);
  }
}
