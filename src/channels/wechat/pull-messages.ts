import type { StorePort } from '../../core/ports.js';
import { acquireLaneLease, type LaneLease } from '../../runtime/lane-lease.js';
import { receiveItem, type ReceiveItemDeps } from './receive-item.js';
import { syncPage } from './sync-page.js';
import type { WecomResult } from './wecom-client.js';

/** `limit` is at most 1000 per page (sync_msg doc, K2). */
const PAGE_LIMIT = 1000;
/** The callback token lasts 10 minutes (K2); a pending pull older than that pulls without one. */
const SYNC_TOKEN_TTL_MS = 10 * 60_000;
/** WeCom may answer has_more 1 with an empty page (platform-facts.md §2, corrections); this many in a row end a pull. */
const MAX_EMPTY_PAGES = 50;
/** The sync token is invalid or expired: pull without it (slower rate limits, but the messages come). */
const SYNC_TOKEN_INVALID = 95007;

/** The one call a pull makes (WecomClient.post); tests give a stand-in. */
export interface SyncClient {
  post(path: string, body: unknown): Promise<WecomResult<unknown>>;
}

export interface PullerOptions extends ReceiveItemDeps {
  client: SyncClient;
  store: StorePort;
  /** Unique per process: the owner of an account's pull lease. */
  instanceId: string;
  newId: () => string;
  /** Messages per page (default and maximum 1000). */
  pageLimit?: number;
  /** How long a pull lease lives without renewal (a crashed replica frees its accounts this late). */
  leaseTtlMs?: number;
}

/** Every account a callback named: where to look for pulls left pending by a restart. */
const ACCOUNTS_KEY = 'wechat:accounts';

const keysOf = (openKfId: string) => ({
  cursor: `wechat:cursor:${openKfId}`,
  token: `wechat:sync-token:${openKfId}`,
  pending: `wechat:pull-pending:${openKfId}`,
  lease: `wechat:pull-lease:${openKfId}`,
});

/**
 * Pulls an account's messages with `kf/sync_msg` when a callback says there
 * are some. The callback only records that a pull is pending (with its
 * token) and is answered at once; the pull runs on one replica per account at
 * a time, under a lease in the store. A replica that finds the lease taken
 * leaves the pending mark to the holder, who pulls again until no mark is left.
 *
 * The cursor is stored after each page's messages are recorded: a crash
 * re-pulls at most one page, and the desk's dedupe by msgid absorbs it.
 */
export class KfPuller {
  /** Accounts this process is pulling now: a second callback only marks a pull pending. */
  private readonly running = new Map<string, Promise<void>>();
  /** Set at shutdown: no new pull starts, running ones end after their page. */
  private stopped = false;

  constructor(private readonly o: PullerOptions) {}

  /** A `kf_msg_or_event` callback: remember the token, mark a pull pending, and start it in the background. */
  async request(openKfId: string, syncToken: string): Promise<void> {
    const k = keysOf(openKfId);
    await this.o.store.setString(k.token, syncToken, SYNC_TOKEN_TTL_MS);
    await this.o.store.setString(k.pending, this.o.newId(), 24 * 3600_000);
    await this.o.store.addMember(ACCOUNTS_KEY, openKfId);
    // In the background: WeCom retries a callback not answered within 5 s. start() catches and logs.
    void this.start(openKfId);
  }

  /**
   * At start: pulls every account whose pull was left pending (the process
   * stopped or died mid-pull), so its messages do not wait for the next callback.
   */
  async resumePending(): Promise<void> {
    for (const openKfId of await this.o.store.members(ACCOUNTS_KEY)) {
      if (await this.o.store.getString(keysOf(openKfId).pending)) void this.start(openKfId);
    }
  }

  /** Starts draining an account unless this process already is; resolves when that drain ends. */
  start(openKfId: string): Promise<void> {
    const running = this.running.get(openKfId);
    if (running) return running;
    // Stopping: the pending mark stays in the store, and the next callback after a restart pulls.
    if (this.stopped) return Promise.resolve();
    const drain = this.drain(openKfId)
      .catch((err: unknown) => this.o.log.error({ openKfId, err: String(err) }, 'WeChat pull failed; the next callback pulls again'))
      .finally(() => this.running.delete(openKfId));
    this.running.set(openKfId, drain);
    return drain;
  }

  private sweep: NodeJS.Timeout | undefined;

  /**
   * Looks for pulls left pending every `everyMs`: one whose lease a dead
   * replica (or this process before a `kill -9`) still held when its callback
   * came, or one that failed, is taken up once the lease has expired, without
   * waiting for the customer's next message to bring another callback.
   */
  startSweep(everyMs: number): void {
    this.sweep = setInterval(() => void this.resumePending().catch((err: unknown) => this.o.log.warn({ err: String(err) }, 'could not look for WeChat pulls left pending')), everyMs);
    this.sweep.unref();
  }

  /** Starts no new pull, ends running ones after their current page, and waits for them (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    while (this.running.size) await Promise.all(this.running.values());
  }

  private async drain(openKfId: string): Promise<void> {
    const { store } = this.o;
    const k = keysOf(openKfId);
    for (;;) {
      const lease = await acquireLaneLease({
        atomic: store, key: k.lease, owner: this.o.instanceId, ttlMs: this.o.leaseTtlMs ?? 30_000, renewMs: (this.o.leaseTtlMs ?? 30_000) / 4,
        onLost: (reason) => this.o.log.warn({ openKfId, reason }, 'WeChat pull lease lost; this replica stops pulling the account'),
      });
      if (!lease) return; // Another replica pulls this account; it will see the pending mark.
      let failed = false;
      try {
        for (;;) {
          const pending = await store.getString(k.pending);
          if (!pending || !lease.held) break;
          const token = await store.getString(k.token);
          const done = await this.pullAll(openKfId, token, lease);
          if (!done) { failed = true; break; }
          // A callback that came during the pull changed the mark: pull once more.
          await store.compareAndDelete(k.pending, pending);
        }
      } finally {
        await lease.release();
      }
      // A callback between the last look and the release found the lease taken: look once more.
      if (failed || !(await store.getString(k.pending))) return;
    }
  }

  /** Pages until has_more is 0. False when WeCom refused (logged); the pending mark stays for the next callback. */
  private async pullAll(openKfId: string, token: string | undefined, lease: LaneLease): Promise<boolean> {
    const { store, log } = this.o;
    const k = keysOf(openKfId);
    let cursor = (await store.getString(k.cursor)) ?? '';
    let syncToken = token;
    let empty = 0;
    let pages = 0;
    for (;;) {
      if (!lease.held || this.stopped) return false;
      const answer: WecomResult<unknown> = await this.o.client.post('/cgi-bin/kf/sync_msg', {
        cursor, limit: Math.min(this.o.pageLimit ?? PAGE_LIMIT, PAGE_LIMIT), open_kfid: openKfId, ...(syncToken ? { token: syncToken } : {}),
      });
      if (!answer.ok) {
        if (answer.error.errcode === SYNC_TOKEN_INVALID && syncToken) {
          log.info({ openKfId }, 'WeChat callback token expired; pulling without it');
          syncToken = undefined;
          continue;
        }
        log.warn({ openKfId, errcode: answer.error.errcode, errmsg: answer.error.errmsg, pages }, 'WeChat sync_msg refused; the next callback pulls again from the stored cursor');
        return false;
      }
      const page = syncPage.safeParse(answer.value);
      if (!page.success) {
        log.warn({ openKfId, pages }, 'WeChat sync_msg answer of an unexpected shape; the pull stops here');
        return false;
      }
      pages += 1;
      for (const raw of page.data.msg_list) await receiveItem(this.o, openKfId, raw);
      const next = page.data.next_cursor;
      // Only a lease this process still holds may move the cursor: another replica may be pulling now.
      if (next && next !== cursor) {
        if (!(await lease.confirm())) return false;
        await store.setString(k.cursor, next);
        cursor = next;
      }
      const more = page.data.has_more === 1 || page.data.has_more === true;
      if (!more) return true;
      empty = page.data.msg_list.length === 0 ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_PAGES) {
        log.warn({ openKfId, pages }, 'WeChat sync_msg kept answering empty pages with has_more; the pull stops and resumes at the next callback');
        return true;
      }
    }
  }
}
