import { withLock } from '../../core/lock.js';
import type { AtomicPort, Clock, KeyValuePort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';
import { requestJson, type WecomResult } from './wecom-client.js';

/** Where a call gets its access token, and a new one when WeCom refused the old. */
export interface AccessTokenSource {
  current(): Promise<WecomResult<string>>;
  /** A token other than `stale`: another replica's fresh one, or a new one from `gettoken`. */
  refresh(stale?: string): Promise<WecomResult<string>>;
}

interface CachedToken { token: string; expiresAt: number }

export interface AccessTokenOptions {
  apiUrl: string;
  corpId: string;
  secret: string;
  store: Pick<KeyValuePort, 'get' | 'set'> & AtomicPort;
  clock: Clock;
  newId: () => string;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Tokens live 7200 s (`expires_in`); they are refreshed this long before that,
 * so a call never starts with a token about to expire.
 */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The WeCom access token (`GET /cgi-bin/gettoken?corpid&corpsecret`), cached
 * in the store for every replica. A refresh takes a lock in the store and
 * looks at the cache again under it, so of many replicas refreshing at once
 * one calls `gettoken` and the others take its token: WeCom limits gettoken
 * calls, and each call may invalidate nothing but costs quota.
 */
export class WecomAccessTokens implements AccessTokenSource {
  private readonly key: string;

  constructor(private readonly o: AccessTokenOptions) {
    this.key = `wechat:access-token:${o.corpId}`;
  }

  async current(): Promise<WecomResult<string>> {
    const cached = await this.o.store.get<CachedToken>(this.key);
    if (cached && cached.expiresAt - REFRESH_MARGIN_MS > this.o.clock.now()) return { ok: true, value: cached.token };
    return this.refresh(cached?.token);
  }

  async refresh(stale?: string): Promise<WecomResult<string>> {
    const { store, clock } = this.o;
    return withLock({ atomic: store, clock, newId: this.o.newId }, `lock:${this.key}`, async () => {
      const cached = await store.get<CachedToken>(this.key);
      if (cached && cached.token !== stale && cached.expiresAt - REFRESH_MARGIN_MS > clock.now()) return { ok: true, value: cached.token };
      const url = `${this.o.apiUrl}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.o.corpId)}&corpsecret=${encodeURIComponent(this.o.secret)}`;
      const got = await requestJson<{ access_token?: string; expires_in?: number }>(url, { method: 'GET' }, this.o.timeoutMs ?? 10_000);
      if (!got.ok) {
        this.o.log.error({ errcode: got.error.errcode, fix: fixFor(got.error.errcode) }, 'WeCom refused to issue an access token; replies wait in the outbox meanwhile');
        return got;
      }
      const token = got.value.access_token;
      if (!token) return { ok: false, error: { errcode: -102, errmsg: 'gettoken answered without access_token' } };
      const lifetimeMs = (got.value.expires_in ?? 7200) * 1000;
      await store.set<CachedToken>(this.key, { token, expiresAt: clock.now() + lifetimeMs }, lifetimeMs);
      return { ok: true, value: token };
    }, { ttlMs: 15_000, waitMs: 15_000 });
  }
}

/** What the operator should change for gettoken's errors (platform-facts.md §2, corrections). */
function fixFor(errcode: number): string {
  if (errcode === 40013) return 'WECOM_CORP_ID is wrong: copy the corp id from the WeCom admin console (My Company → Company Information).';
  if (errcode === 40001) return 'WECOM_SECRET is wrong: use the secret of WeChat Customer Service (Customer Service → API), not an app secret.';
  return 'see the errcode in the WeCom API error table';
}
