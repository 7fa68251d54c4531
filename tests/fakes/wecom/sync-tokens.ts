import { randomBytes } from 'node:crypto';

/**
 * The `Token` a kf_msg_or_event callback carries, for `sync_msg`: valid 10
 * minutes (sync_msg doc, platform-facts.md §2); unknown or expired → 95007.
 */
export class SyncTokens {
  private readonly tokens = new Map<string, { openKfId: string; expiresAt: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number,
  ) {}

  issue(openKfId: string): string {
    // Shaped like the doc's example token ("ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR").
    const token = `ENC${randomBytes(33).toString('base64url')}`;
    this.tokens.set(token, { openKfId, expiresAt: this.now() + this.lifetimeMs });
    return token;
  }

  isValid(token: string, openKfId: string): boolean {
    const found = this.tokens.get(token);
    return !!found && found.openKfId === openKfId && found.expiresAt > this.now();
  }

  expireAll(): void {
    const now = this.now();
    for (const entry of this.tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  clear(): void {
    this.tokens.clear();
  }
}
