import { randomBytes } from 'node:crypto';

/** What `check` found: 0 = valid, else the errcode WeCom answers. */
export type TokenCheck = 0 | 41001 | 40014 | 42001;

interface Issued {
  token: string;
  expiresAt: number;
}

/**
 * Access tokens of `gettoken`. WeCom answers the same token while it is valid
 * ("有效期内重复获取返回相同结果", gettoken doc, path/91039) and a new one after it
 * expired; a token it issued and that has expired answers 42001, a token it
 * never issued 40014, no token 41001 (errcode page, path/90313).
 */
export class AccessTokens {
  private readonly issued = new Map<string, Issued>();
  private current: Issued | undefined;
  /** How many tokens were issued, for assertions on refreshes. */
  issuedCount = 0;

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number,
  ) {}

  /** The valid token (a new one when none is), and its remaining seconds for `expires_in`. */
  issue(): { token: string; expiresIn: number } {
    const now = this.now();
    if (!this.current || this.current.expiresAt <= now) {
      this.current = { token: randomBytes(48).toString('base64url'), expiresAt: now + this.lifetimeMs };
      this.issued.set(this.current.token, this.current);
      this.issuedCount += 1;
    }
    return { token: this.current.token, expiresIn: Math.ceil((this.current.expiresAt - now) / 1000) };
  }

  check(token: string | null | undefined): TokenCheck {
    if (!token) return 41001;
    const found = this.issued.get(token);
    if (!found) return 40014;
    return found.expiresAt <= this.now() ? 42001 : 0;
  }

  /** Ends every token now (as if its 7200 s ran out); the next `gettoken` issues a new one. */
  expireAll(): void {
    const now = this.now();
    for (const issued of this.issued.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }

  /** Forgets every token: the bot's cached one now answers 40014 (e.g. the secret was reset). */
  revokeAll(): void {
    this.issued.clear();
    this.current = undefined;
  }
}
