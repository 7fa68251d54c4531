import type { ChannelTraits } from '../channel-traits.js';
import type { Conversations } from '../conversations.js';
import type { Presence, Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { QueueRoute } from '../queue-router.js';
import type { Seats } from '../seats.js';
import { keys } from '../keys.js';
import { fail, ok, type Result } from '../result.js';
import { ownValue } from '../own-property.js';
import { channelLabel } from '../channel-traits.js';
import { mayViewQueue } from './may-view-queue.js';

/** At most this many waiting conversations are listed per queue; the rest are counted ("and N more"). */
export const WAITING_SHOWN = 20;
/**
 * Waiting entries read and checked per queue. Beyond them the count comes
 * from the set's size, which may still hold a few stale entries (closed or
 * claimed meanwhile) until assignment next tidies it.
 */
const WAITING_SCANNED = 200;

/** One conversation waiting in a queue: facts, the words are made where it is rendered. */
export interface WaitingRow {
  convId: string;
  customerName?: string;
  /** The customer channel's label (`WhatsApp`, `WeChat (wkAbc)`), as the header shows it. */
  channel: string;
  /** When it started waiting (ms). */
  since: number;
  waitedMs: number;
}

/** A seat of the queue that is online: how many chats it holds of its maximum. */
export interface OnlineSeat {
  name: string;
  held: number;
  max: number;
}

/** What waits in one queue and who is there to take it (SPEC §7 `/queue`). */
export interface QueueOverview {
  queue: string;
  department: string;
  /** Oldest first, at most `WAITING_SHOWN`. */
  waiting: WaitingRow[];
  /** Waiting conversations not listed. */
  moreWaiting: number;
  online: OnlineSeat[];
  paused: number;
  away: number;
}

/** What the overview reads. */
export interface OverviewPorts {
  store: Pick<StorePort, 'zRangeByScore' | 'zCard' | 'members' | 'getString'>;
  conversations: Pick<Conversations, 'get' | 'claimer'>;
  seats: Pick<Seats, 'inQueue'>;
  clock: Clock;
  queues: Readonly<Record<string, QueueRoute>>;
  channels: ChannelTraits;
}

/**
 * The queues `seat` may see, with what waits and who is online: one queue
 * when `name` is given (`unknown_queue`, or `outside_department` when the
 * seat may not see it), else every queue it may see, in name order. Reads
 * only: stale waiting entries are skipped here and left for assignment to
 * remove.
 */
export async function queueOverview(d: OverviewPorts, seat: Seat, name?: string): Promise<Result<QueueOverview[]>> {
  let routes: QueueRoute[];
  if (name !== undefined) {
    const route = ownValue(d.queues, name);
    if (!route) return fail('unknown_queue', { queue: name });
    if (!mayViewQueue(seat, route)) return fail('outside_department', { department: route.department });
    routes = [route];
  } else {
    routes = Object.values(d.queues).filter((r) => mayViewQueue(seat, r)).sort((a, b) => a.name.localeCompare(b.name));
  }
  const now = d.clock.now();
  const out: QueueOverview[] = [];
  for (const route of routes) out.push(await overviewOf(d, route, now));
  return ok(out);
}

async function overviewOf(d: OverviewPorts, route: QueueRoute, now: number): Promise<QueueOverview> {
  const { waiting, moreWaiting } = await waitingOf(d, route.name, now);
  const seats = (await d.seats.inQueue(route.name)).filter((s) => s.enabled);
  const count = (p: Presence) => seats.filter((s) => s.presence === p).length;
  const online: OnlineSeat[] = [];
  for (const s of seats.filter((x) => x.presence === 'online')) online.push({ name: s.name, held: await heldCount(d, s.id), max: s.maxChats });
  return { queue: route.name, department: route.department, waiting, moreWaiting, online, paused: count('paused'), away: count('away') };
}

/** The queue's waiting conversations that still wait (open, unclaimed, in this queue), oldest first. */
async function waitingOf(d: OverviewPorts, queue: string, now: number): Promise<{ waiting: WaitingRow[]; moreWaiting: number }> {
  const entries = await d.store.zRangeByScore(keys.waiting(queue), 0, Number.MAX_SAFE_INTEGER, WAITING_SCANNED);
  const rows: WaitingRow[] = [];
  for (const { member: convId, score } of entries) {
    const conv = await d.conversations.get(convId);
    if (!conv || conv.status === 'closed' || conv.queue !== queue) continue;
    if ((await d.conversations.claimer(convId)) !== undefined) continue;
    rows.push({
      convId, ...(conv.customer.name ? { customerName: conv.customer.name } : {}),
      channel: channelLabel(d.channels, conv), since: score, waitedMs: Math.max(0, now - score),
    });
  }
  const beyond = entries.length === WAITING_SCANNED ? Math.max(0, (await d.store.zCard(keys.waiting(queue))) - WAITING_SCANNED) : 0;
  return { waiting: rows.slice(0, WAITING_SHOWN), moreWaiting: Math.max(0, rows.length - WAITING_SHOWN) + beyond };
}

/** Chats the seat holds: members of its set whose claim still names it (read only, unlike heldChats). */
async function heldCount(d: OverviewPorts, seatId: string): Promise<number> {
  const ids = await d.store.members(keys.seatChats(seatId));
  const holders = await Promise.all(ids.map((id) => d.store.getString(keys.claim(id))));
  return holders.filter((h) => h === seatId).length;
}
