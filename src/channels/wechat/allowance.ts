import { withLock } from '../../core/lock.js';
import type { AtomicPort, Clock, KeyValuePort } from '../../core/ports.js';

/** After each customer message the business may send at most 5 messages within 48 h (send_msg doc, K5; platform-facts.md §2). */
export const WECHAT_ALLOWANCE = 5;
export const WECHAT_WINDOW_HOURS = 48;
const WINDOW_MS = WECHAT_WINDOW_HOURS * 3600_000;

/** One customer's allowance: counted from the `send_time` of their last message, not from when it was pulled. */
export interface AllowanceRecord {
  /** send_time of the customer's latest message, ms. */
  since: number;
  /** Messages sent since then. */
  sent: number;
}

/** What a send may do now: go, or why not (with when the window closes or closed). */
export type AllowanceCheck =
  | { kind: 'open'; left: number; closesAt: number }
  | { kind: 'window_closed'; closesAt?: number }
  | { kind: 'used_up'; since: number; closesAt: number };

export interface AllowancePorts {
  store: Pick<KeyValuePort, 'get' | 'set'> & AtomicPort;
  clock: Clock;
  newId: () => string;
}

/**
 * The 5-messages-within-48 h allowance of each WeChat customer, kept in the
 * store so every replica counts the same sends. It is checked before a send
 * (so the sixth reply never reaches WeCom) and counted after WeCom accepted
 * one; a customer message restores it. Changes take a short lock in the store:
 * a customer message arriving while a reply is counted must not be lost.
 */
export class ReplyAllowance {
  constructor(private readonly p: AllowancePorts) {}

  private key(openKfId: string, customer: string): string {
    return `wechat:allowance:${openKfId}:${customer}`;
  }

  async read(openKfId: string, customer: string): Promise<AllowanceRecord | undefined> {
    return this.p.store.get<AllowanceRecord>(this.key(openKfId, customer));
  }

  async check(openKfId: string, customer: string): Promise<AllowanceCheck> {
    return checkAllowance(await this.read(openKfId, customer), this.p.clock.now());
  }

  /** A customer message sent at `sentAt` (ms): the allowance starts again from it, unless a later one did already. */
  async customerWrote(openKfId: string, customer: string, sentAt: number): Promise<AllowanceRecord | undefined> {
    return this.change(openKfId, customer, (r) => (r && r.since >= sentAt ? r : { since: sentAt, sent: 0 }));
  }

  /** WeCom accepted a message to the customer. */
  async recordSend(openKfId: string, customer: string): Promise<AllowanceRecord | undefined> {
    return this.change(openKfId, customer, (r) => (r ? { ...r, sent: r.sent + 1 } : r));
  }

  private async change(openKfId: string, customer: string, fn: (r: AllowanceRecord | undefined) => AllowanceRecord | undefined): Promise<AllowanceRecord | undefined> {
    const key = this.key(openKfId, customer);
    return withLock({ atomic: this.p.store, clock: this.p.clock, newId: this.p.newId }, `lock:${key}`, async () => {
      const before = await this.p.store.get<AllowanceRecord>(key);
      const after = fn(before);
      // Kept a little past the window: after it, the record says nothing a missing one would not.
      if (after && after !== before) await this.p.store.set(key, after, WINDOW_MS + 3600_000);
      return after;
    });
  }
}

/** Pure: the state of an allowance record at `now`. */
export function checkAllowance(r: AllowanceRecord | undefined, now: number): AllowanceCheck {
  if (!r) return { kind: 'window_closed' };
  const closesAt = r.since + WINDOW_MS;
  if (now >= closesAt) return { kind: 'window_closed', closesAt };
  if (r.sent >= WECHAT_ALLOWANCE) return { kind: 'used_up', since: r.since, closesAt };
  return { kind: 'open', left: WECHAT_ALLOWANCE - r.sent, closesAt };
}

/** What the header shows of a record: replies left and when the window ends. */
export function shownAllowance(r: AllowanceRecord): { left: number; closesAt: number } {
  return { left: Math.max(0, WECHAT_ALLOWANCE - r.sent), closesAt: r.since + WINDOW_MS };
}
