import type { StorePort } from '../../core/ports.js';
import { FEED_KEY, readEntry } from './history-feed.js';

/** Entries read at most per tick; more wait for the next tick. */
const PAGE = 1_000;
/** Entries the feed keeps: at 50 appended lines/s, 100 s of them; a hub that falls further behind looks at every visitor once. */
const KEEP = 5_000;
/** The feed is trimmed back to KEEP once it holds this many more, by one hub at a time. */
const TRIM_SLACK = 1_000;
const TRIM_LOCK = 'webchat:history-feed:trim';
const TRIM_LOCK_MS = 10_000;

export interface FeedFollowerDeps {
  store: StorePort;
  /** Whether `visitorId` has a socket here. */
  here: (visitorId: string) => boolean;
  /** New lines for `visitorId`: their sockets here read what they have not been sent. */
  notify: (visitorId: string) => void;
  /** Fell off the feed's trimmed end: every visitor here is looked at once (hub-upkeep.ts). */
  lookAtAll: () => void;
}

/**
 * Follows the histories' change feed (history-feed.ts) so sockets here get
 * lines appended on another replica. The cursor is the index of the next
 * entry and the entry before it (the anchor): a tick reads from the anchor
 * on, one LRANGE whatever the number of visitors, and checks the anchor is
 * still there; a trim moved it, so it is looked up in the whole feed once,
 * and when it is gone every visitor here is looked at once.
 * Measured (tests/e2e/webchat-feed-calls.test.ts, 200 idle sockets on Redis):
 * 96 store calls/s before (one LLEN per visitor every 2 s), 4 after (one LRANGE a tick).
 */
export class FeedFollower {
  private next: number | undefined;
  private anchor: string | undefined;
  private busy = false;
  private tried = false;

  constructor(private readonly d: FeedFollowerDeps) {}

  /** One look at the feed; a tick while the previous one is still out does nothing. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try { await this.read(); } finally { this.busy = false; }
  }

  private async read(): Promise<void> {
    const { store } = this.d;
    // The first look starts at the end. Sent as the hub starts, it goes before any socket's hello (one
    // connection, in order), and a hello reads the whole history after the id the widget saw; if it failed
    // then, sockets opened since are looked at once.
    if (this.next === undefined) {
      const retry = this.tried;
      this.tried = true;
      this.next = await store.length(FEED_KEY);
      if (retry) this.d.lookAtAll();
      return;
    }
    const from = Math.max(0, this.next - 1);
    const got = await store.range(FEED_KEY, from, from + PAGE);
    const anchored = this.next === 0 || (got.length > 0 && (this.anchor === undefined || got[0] === this.anchor));
    if (!anchored) { this.advance(await this.relocate()); await this.trim(); return; }
    const fresh = this.next === 0 ? got : got.slice(1);
    this.next = from + got.length;
    if (got.length) this.anchor = got[got.length - 1];
    this.advance(fresh);
    // Only a hub that read to the end trims, so the feed is cut back to KEEP entries, never past its own place.
    if (got.length <= PAGE) await this.trim();
  }

  private advance(fresh: string[]): void {
    const due = new Set<string>();
    for (const entry of fresh) {
      const { visitorId, local } = readEntry(this.d.store, entry);
      if (!local && this.d.here(visitorId)) due.add(visitorId);
    }
    for (const v of due) this.d.notify(v);
  }

  /** The anchor moved (a trim) or is gone (the feed was trimmed past it, or lost): finds it in the whole feed. */
  private async relocate(): Promise<string[]> {
    const all = await this.d.store.range(FEED_KEY, 0, -1);
    const at = this.anchor === undefined ? -1 : all.lastIndexOf(this.anchor);
    this.next = all.length;
    this.anchor = all[all.length - 1];
    if (at >= 0) return all.slice(at + 1);
    this.d.lookAtAll();
    return [];
  }

  /** Keeps the feed bounded; the lock makes one hub of all replicas trim at a time. */
  private async trim(): Promise<void> {
    const excess = (this.next ?? 0) - KEEP;
    if (excess < TRIM_SLACK) return;
    if (!(await this.d.store.setIfAbsent(TRIM_LOCK, '1', TRIM_LOCK_MS))) return;
    await this.d.store.dropHead(FEED_KEY, excess);
    this.next! -= excess;
  }
}

/** Starts following the feed now (before any socket can say hello) and every `everyMs`; returns the timer. */
export function followFeed(d: FeedFollowerDeps, everyMs: number): NodeJS.Timeout {
  const feed = new FeedFollower(d);
  // A store outage: the next tick tries again.
  const follow = () => void feed.tick().catch(() => undefined);
  follow();
  return setInterval(follow, everyMs);
}
