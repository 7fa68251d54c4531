import type { StorePort } from '../../core/ports.js';
import { hashSessionToken, isWellFormedToken, newSessionToken, visitorIds } from './identity.js';

/** An anonymous visitor's session as stored under the hash of its token. */
interface StoredSession {
  visitorId: string;
  createdAt: number;
}

/** A visitor's session is kept this long after it was made: a returning visitor within it finds their history. */
const SESSION_TTL_MS = 180 * 24 * 3600_000;

/**
 * Anonymous sessions: the token goes to the widget once, the store keeps only
 * its SHA-256 (SPEC §12), under which the visitor id is found again.
 */
export class WebchatSessions {
  constructor(private readonly store: StorePort) {}

  /** The visitor a token belongs to, or undefined for an unknown or malformed one. */
  async resolve(token: unknown): Promise<string | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    return (await this.store.get<StoredSession>(`webchat:session:${hashSessionToken(token)}`))?.visitorId;
  }

  /** A new anonymous visitor: the token is returned once and never stored in the clear. */
  async create(now: number): Promise<{ token: string; visitorId: string }> {
    const token = newSessionToken();
    const visitorId = visitorIds.anonymous();
    await this.store.set<StoredSession>(`webchat:session:${hashSessionToken(token)}`, { visitorId, createdAt: now }, SESSION_TTL_MS);
    return { token, visitorId };
  }
}
