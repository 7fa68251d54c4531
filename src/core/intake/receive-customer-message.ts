import type { Conversation, InboundCustomerMessage } from '../model.js';
import type { Clock, StorePort, WriteOp } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Dedupe } from '../dedupe.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Via } from '../outbox/items.js';
import { lanes } from '../outbox/items.js';
import { keys } from '../keys.js';
import type { Locks } from '../lock.js';
import { foldTag, hashtagsOf, type RoutingInput } from '../routing/route-queue.js';
import type { ServiceSettings } from '../service-settings.js';
import { dueAutoReply, type AutoReplyWords, type DueAutoReply } from './auto-replies.js';
import { customerMessageTimerOps } from '../sla/sla-timer-ops.js';
import { earliestDue } from '../timers.js';
import type { StatsPorts } from '../stats/stats-recorder.js';
import { withOptOut } from '../templates/opt-out.js';

/** Who the transcript and the channel see as the author of the desk's own replies. */
export const DESK_AUTHOR = 'desk';

/** How far the reply window's end must move before the header is edited to show it. */
const HEADER_WINDOW_STEP_MS = 3600_000;

export type ReceiveOutcome =
  /** `timersDueAt`: the earliest timer the message scheduled (SLA, inactivity), to wake the scheduler for it. */
  | { status: 'accepted'; conversation: Conversation; opened: boolean; timersDueAt?: number }
  | { status: 'duplicate' };

/** What receiving a customer message needs, and nothing more. */
export interface ReceiveDeps {
  store: StorePort;
  clock: Clock;
  newId: () => string;
  /** One customer's messages are handled one at a time. */
  locks: Locks;
  conversations: Conversations;
  outbox: Outbox;
  dedupe: Dedupe;
  /** The queue a new conversation opens in (routing rules; see routing/route-queue.ts). */
  routeOf: (input: RoutingInput) => string;
  /** The messenger a conversation's thread lives on. */
  messengerOf: (conv: Conversation) => Via;
  /** A queue's hours, welcome and away reply (absent: none). */
  serviceOf?: (queue: string) => ServiceSettings | undefined;
  /** The words of automatic replies (absent: the desk sends none). */
  autoReplyWords?: AutoReplyWords;
  /** Figures kept as events happen (absent: none kept). */
  stats?: StatsPorts;
}

/**
 * A customer message arrives from a channel: dedupe it, find or open its
 * conversation, record it, and queue its post into the thread. Resolves once
 * everything is in the store, so the caller may acknowledge the platform.
 *
 * Crash safety: the message's effects (transcript entry, thread post, a new
 * conversation's record, customer mapping and index entry) and its
 * "processed" mark are one atomic batch. Before the batch nothing durable
 * points at the work (a redelivery redoes it); after it, a redelivery is a
 * duplicate.
 *
 * One customer's messages are handled one at a time, on every replica, so
 * two "first" messages never open two conversations (anchors.md B3), and a
 * redelivery racing its original waits for it and then finds the mark: no
 * separate in-flight mark (and its commit) is needed.
 */
export async function receiveCustomerMessage(d: ReceiveDeps, msg: InboundCustomerMessage): Promise<ReceiveOutcome> {
  const source = `${msg.channel}:${msg.account}`;
  const mapKey = keys.customerConversation(msg.channel, msg.account, msg.customer.id);
  // Both reads are made as the lock is taken (one round trip on Redis: see Locks.runReading), side
  // by side: the mapping is only of use when the message is new, but costs nothing extra to read.
  const reads = () => Promise.all([d.dedupe.isDone(source, msg.messageId), d.store.getString(mapKey)]);
  return d.locks.runReading(`lock:${mapKey}`, reads, async ([done, existingId]) => {
    if (done) return { status: 'duplicate' };
    return record(d, msg, source, mapKey, existingId);
  });
}

async function record(d: ReceiveDeps, msg: InboundCustomerMessage, source: string, mapKey: string, existingId: string | undefined): Promise<ReceiveOutcome> {
  const { store, clock, conversations, outbox } = d;
  const now = clock.now();
  const touched: string[] = [];
  /** The automatic reply this message earns (decided with the conversation's record, under its lock). */
  let auto: DueAutoReply | undefined;
  /** The conversation as it was before this message (the record read under its lock), for the SLA clocks; undefined when the message opens one. */
  let before: Conversation | undefined;
  let timersDueAt: number | undefined;
  let welcomedOnEntry = false;
  const decideAuto = (conv: Conversation, isNew: boolean): DueAutoReply | undefined =>
    d.autoReplyWords ? dueAutoReply(conv, isNew, now, d.serviceOf?.(conv.queue), d.autoReplyWords, welcomedOnEntry) : undefined;
  const effects = (conv: Conversation): WriteOp[] => {
    const via = d.messengerOf(conv);
    const post = outbox.stage(lanes.thread(conv.id), via, {
      op: 'thread.customer', convId: conv.id, text: msg.text, sentAt: msg.sentAt,
      ...(msg.attachments?.length ? { attachments: msg.attachments } : {}),
      // Nobody has read a new conversation's channel yet: the post's budget need not read the record.
      ...(before ? {} : { queue: conv.queue }),
    });
    const ops = [
      conversations.transcriptOp(conv.id, {
        at: now, direction: 'in', text: msg.text, channelMessageId: msg.messageId,
        ...(msg.attachments?.length ? { attachments: msg.attachments } : {}),
      }),
      ...post.ops,
    ];
    touched.push(lanes.thread(conv.id));
    // The header shows when the reply window closes. Edits are a scarce budget (Slack Tier 3:
    // ~50/min per workspace), so only a move of more than an hour is worth one.
    if (before && (now - before.lastCustomerAt > HEADER_WINDOW_STEP_MS || headerChanged(before, conv))) {
      ops.push(...outbox.stage(lanes.header(conv.id), via, { op: 'thread.header', convId: conv.id }).ops);
      touched.push(lanes.header(conv.id));
    }
    if (auto) {
      // After the customer's message in the thread; to the customer on their own lane, like an agent's reply.
      const reply = outbox.stage(lanes.customer(conv.id), conv.channel, { op: 'customer.send', convId: conv.id, text: auto.text, author: DESK_AUTHOR });
      const notice = outbox.stage(lanes.thread(conv.id), via, { op: 'thread.notice', convId: conv.id, text: d.autoReplyWords!.sentNotice(conv, auto.kind, auto.text) });
      ops.push(conversations.transcriptOp(conv.id, { at: now, direction: 'out', text: auto.text, author: DESK_AUTHOR }), ...reply.ops, ...notice.ops);
      touched.push(lanes.customer(conv.id));
    }
    // SLA and inactivity clocks (SPEC §7), with the message that starts or moves them.
    const timerOps = customerMessageTimerOps(before, conv, now, d.serviceOf?.(conv.queue));
    timersDueAt = earliestDue(timerOps);
    ops.push(...timerOps, d.dedupe.doneOp(source, msg.messageId));
    return ops;
  };
  const accepted = (conv: Conversation, opened: boolean): ReceiveOutcome => {
    outbox.appended(touched);
    return { status: 'accepted', conversation: conv, opened, ...(timersDueAt === undefined ? {} : { timersDueAt }) };
  };
  const tagsKey = keys.customerTags(msg.channel, msg.account, msg.customer.id);
  const given = (msg.customer.tags ?? []).map(foldTag).filter(Boolean);
  if (existingId) {
    // A follow-up: its conversation is read once, under its lock. A closed one (the customer
    // writes again) is left as it is, and a new conversation opens below.
    // Safe to repeat: a redelivery after a crash writes the same values again. The record and the
    // message's effects are one atomic batch, the record first: both are stored or neither.
    let closed = false;
    const tagOps = given.map((tag) => ({ kind: 'addMember' as const, key: tagsKey, member: tag }));
    const conv = await conversations.updateWith(existingId, (c) => {
      if (c.status === 'closed') { closed = true; return undefined; }
      before = c;
      const customerTags = union(c.customer.tags ?? [], given);
      const tags = union(c.tags ?? [], hashtagsOf(msg.text));
      const { tags: _given, ...customer } = msg.customer;
      auto = decideAuto(c, false);
      return withOptOut({
        ...c,
        ...(auto?.kind === 'away' ? { awayRepliedAt: now } : {}),
        customer: { ...c.customer, ...customer, name: msg.customer.name ?? c.customer.name, ...(customerTags.length ? { tags: customerTags } : {}) },
        lastCustomerAt: Math.max(c.lastCustomerAt, now),
        lastCustomerMessageId: msg.messageId,
        // A response time runs from the oldest message still unanswered.
        awaitingSince: c.awaitingSince ?? now,
        ...(tags.length ? { tags } : {}),
      }, msg.text, now);
    }, (next) => (closed ? [] : [...tagOps, ...effects(next)]));
    // Undefined: the mapping points at no record (a new conversation opens, as for a closed one).
    if (conv && !closed) return accepted(conv, false);
  }
  // Routing happens once, here: the queue decides messenger, channel and department (SPEC §7).
  const customerTags = union(await store.members(tagsKey), given);
  const queue = d.routeOf({ channel: msg.channel, account: msg.account, text: msg.text, customerTags });
  const { tags: _given, ...customer } = msg.customer;
  const conv = withOptOut({
    id: d.newId(),
    channel: msg.channel,
    account: msg.account,
    customer: { ...customer, ...(customerTags.length ? { tags: customerTags } : {}) },
    queue,
    status: 'open',
    createdAt: now,
    lastCustomerAt: now,
    lastCustomerMessageId: msg.messageId,
    tags: union([existingId ? 'returning' : 'new'], hashtagsOf(msg.text)),
    awaitingSince: now,
  }, msg.text, now);
  auto = decideAuto(conv, true);
  // A channel that greeted the customer on entry (WeChat) said the welcome already. Only a welcome
  // depends on it, so the mark is read only when one is due.
  if (auto?.kind === 'welcome' && (await store.getString(keys.welcomed(msg.channel, msg.account, msg.customer.id))) !== undefined) {
    welcomedOnEntry = true;
    auto = decideAuto(conv, true);
  }
  if (auto?.kind === 'away') conv.awayRepliedAt = now;
  const opening: WriteOp[] = [
    { kind: 'setString', key: mapKey, value: conv.id },
    // Every conversation in creation order, for exports.
    { kind: 'push', key: 'conv-index', values: [JSON.stringify({ id: conv.id, at: now })] },
    // Unclaimed: it waits in its queue until a seat takes it or is given it.
    { kind: 'zAdd', key: keys.waiting(queue), member: conv.id, score: now },
    ...given.map((tag) => ({ kind: 'addMember' as const, key: tagsKey, member: tag })),
    ...(d.stats?.recorder.opened(queue, now) ?? []),
  ];
  // The record goes in the batch, first: one atomic write, so neither the record without its
  // mapping nor a mapping (index, post) pointing at no record can be stored.
  await store.writeAtomically([conversations.saveOp(conv), ...opening, ...effects(conv)]);
  return accepted(conv, true);
}

/** `a` then what `b` adds, each once. */
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/** Whether the message gave the conversation or its customer a tag the header does not show yet, or opted them out or in. */
function headerChanged(before: Conversation, after: Conversation): boolean {
  return (after.tags?.length ?? 0) > (before.tags?.length ?? 0) || (after.customer.tags?.length ?? 0) > (before.customer.tags?.length ?? 0)
    || (before.optedOutAt === undefined) !== (after.optedOutAt === undefined);
}
