/**
 * Remembers which backend served each session, so a conversation's turns
 * keep landing where its history is cached. Bounded: the least recently
 * used sessions are forgotten first, and a session idle for `ttlMs` is
 * forgotten when next looked up.
 */
export class SessionAffinity {
  private readonly sessions = new Map<string, { backend: string; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSessions: number,
  ) {}

  get(session: string, now: number): string | undefined {
    const entry = this.sessions.get(session);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.sessions.delete(session);
      return undefined;
    }
    return entry.backend;
  }

  set(session: string, backend: string, now: number): void {
    this.sessions.delete(session);
    this.sessions.set(session, { backend, expires: now + this.ttlMs });
    if (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
  }
}
