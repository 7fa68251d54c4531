/**
 * Per-visitor and per-IP limits of the live channel (SPEC §12). Sliding
 * windows kept in memory of this process: a visitor's sockets land on one
 * replica per connection, and a limit that resets on restart costs nothing.
 * Time is passed in, so tests drive it.
 */
export interface WebchatLimits {
  /** Longest visitor message, in characters. */
  maxTextChars: number;
  /** Messages per visitor per window. */
  visitorMessages: number;
  /** Messages per IP per window (several visitors behind one address). */
  ipMessages: number;
  /** New connections per IP per window. */
  ipConnections: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: WebchatLimits = {
  maxTextChars: 4000,
  visitorMessages: 10,
  ipMessages: 60,
  ipConnections: 60,
  windowMs: 60_000,
};

/** Counts events per key in a sliding window; `take` says whether one more is allowed and counts it if so. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  take(key: string, now: number): { ok: true } | { ok: false; retryInMs: number } {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.hits.set(key, recent);
      return { ok: false, retryInMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { ok: true };
  }

  /** Drops keys with no hit inside the window, so memory follows the active visitors. */
  sweep(now: number): void {
    for (const [key, times] of this.hits) if (!times.some((t) => t > now - this.windowMs)) this.hits.delete(key);
  }
}

/** Why a visitor's message is refused before it reaches the desk; the widget words it. */
export type RefusalCode = 'too_long' | 'empty' | 'rate_visitor' | 'rate_ip' | 'unknown_file';

/** One check of a visitor message against every limit, counting it when it passes. */
export class MessageLimiter {
  private readonly perVisitor: SlidingWindow;
  private readonly perIp: SlidingWindow;

  constructor(readonly limits: WebchatLimits) {
    this.perVisitor = new SlidingWindow(limits.visitorMessages, limits.windowMs);
    this.perIp = new SlidingWindow(limits.ipMessages, limits.windowMs);
  }

  /** `withFiles`: the message carries files, so an empty text is fine. */
  check(visitorId: string, ip: string, text: string, now: number, withFiles = false): { ok: true } | { ok: false; code: RefusalCode; retryInMs?: number } {
    if (!text.trim() && !withFiles) return { ok: false, code: 'empty' };
    if (codePoints(text) > this.limits.maxTextChars) return { ok: false, code: 'too_long' };
    const v = this.perVisitor.take(visitorId, now);
    if (!v.ok) return { ok: false, code: 'rate_visitor', retryInMs: v.retryInMs };
    const i = this.perIp.take(ip, now);
    if (!i.ok) return { ok: false, code: 'rate_ip', retryInMs: i.retryInMs };
    return { ok: true };
  }

  sweep(now: number): void {
    this.perVisitor.sweep(now);
    this.perIp.sweep(now);
  }
}

/** Characters as people count them closely enough: a surrogate pair (an emoji) is one. */
function codePoints(text: string): number {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}
