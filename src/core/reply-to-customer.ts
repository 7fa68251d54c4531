import type { ChannelTraits } from './channel-traits.js';
import type { Conversation, Seat } from './model.js';
import type { Clock, StorePort } from './ports.js';
import type { Conversations } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { Outbox } from './outbox/outbox.js';
import { lanes } from './outbox/items.js';
import { can } from './permissions.js';
import { replyWindow, windowClosedDetail } from './reply-window.js';
import { fail, ok, type Result } from './result.js';
import type { ServiceSettings } from './service-settings.js';
import { agentReplyTimerOps } from './sla/sla-timer-ops.js';
import type { StatsPorts } from './stats/stats-recorder.js';
import { replyRecordOp } from './replies/reply-record.js';
import { replyIdentity } from './agent-identity.js';
import { readTemplateList, templateSummary } from './templates/template-list.js';
import type { AgentFile } from './files/agent-file.js';
import { checkFiles, ruleFor } from './files/file-limits.js';

/** What sending an agent's reply needs. */
export interface ReplyDeps {
  store: StorePort;
  clock: Clock;
  conversations: Conversations;
  outbox: Outbox;
  dedupe: Dedupe;
  departmentOf: (conv: Conversation) => string;
  /** Each channel's reply window. */
  channels: ChannelTraits;
  /** A queue's SLA and inactivity settings (absent: no timers to settle). */
  serviceOf?: (queue: string) => ServiceSettings | undefined;
  /** Figures kept as events happen (absent: none kept). */
  stats?: StatsPorts;
}

/** Dedupe source of agent replies: one reply per agent message, however often the messenger delivers it. */
const REPLY_SOURCE = 'agent-reply';

/**
 * The claimer's reply: checked against the channel's reply window, recorded,
 * and queued to the customer. `agentMessageId` is marked delivered later.
 *
 * With an `agentMessageId`, the transcript entry, the outbox item and the
 * "sent" mark of that agent message are one atomic batch: a messenger's
 * redelivery after a crash finds the mark and sends nothing twice.
 *
 * `files` (the text is then their caption, and may be empty) are checked
 * against the channel's limits here, before anything is queued; the outbox
 * item carries their references, never their bytes.
 */
export async function replyToCustomer(d: ReplyDeps, conv: Conversation, seat: Seat, text: string, agentMessageId?: string, files: readonly AgentFile[] = []): Promise<Result<void>> {
  if (!can(seat, 'chat.reply', { department: d.departmentOf(conv) })) {
    return fail('permission_denied', { action: 'reply' });
  }
  if (conv.status === 'closed') return fail('conversation_closed');
  const markId = agentMessageId ? `${conv.id}:${agentMessageId}` : undefined;
  if (markId && (await d.dedupe.isDone(REPLY_SOURCE, markId))) return ok(undefined);
  const now = d.clock.now();
  const window = replyWindow(conv, now, d.channels);
  if (!window.open) return fail('window_closed', { ...windowClosedDetail(d.channels, conv.channel, window.closesAt), ...(await templatesOffered(d, conv)) });
  const allowed = checkFiles(d.channels, conv.channel, files);
  if (!allowed.ok) return allowed;
  const lane = lanes.customer(conv.id);
  const identity = replyIdentity(d.serviceOf?.(conv.queue)?.agentIdentity, seat, conv.queue);
  const send = d.outbox.stage(lane, conv.channel, {
    op: 'customer.send', convId: conv.id, text, author: seat.id, ...(agentMessageId ? { agentMessageId } : {}), ...(files.length ? { files: [...files] } : {}),
    identity,
  });
  const attachments = files.map((f) => ({ kind: ruleFor(d.channels[conv.channel]?.fileLimits, f.mime)?.kind ?? 'file' as const, fileName: f.name, mimeType: f.mime }));
  const written = d.store.writeAtomically([
    d.conversations.transcriptOp(conv.id, { at: now, direction: 'out', text, author: seat.id, ...(attachments.length ? { attachments } : {}) }),
    ...send.ops,
    ...(markId ? [d.dedupe.doneOp(REPLY_SOURCE, markId)] : []),
    // What an edit or a delete of the agent's message later changes (see replies/change-reply.ts).
    ...(agentMessageId ? [replyRecordOp(conv.id, agentMessageId, { author: seat.id, text, at: now, ...(identity.prefix ? { prefix: identity.prefix } : {}) })] : []),
    // The customer is answered: the response clocks stop with the reply, and the inactivity clock moves.
    ...agentReplyTimerOps(conv.id, now, d.serviceOf?.(conv.queue)),
    ...figureOps(d, conv, now),
  ]);
  // The reply may leave once its batch is committed; the messenger's event is answered only once it is durable.
  const told = d.outbox.appendedOnCommit(lane, send.item);
  await written;
  if (!(await told)) d.outbox.appended([lane]);
  await d.conversations.update(conv.id, (c) => {
    const { awaitingSince: _answered, ...rest } = c;
    return { ...rest, lastAgentAt: now, firstResponseAt: c.firstResponseAt ?? now };
  });
  return ok(undefined);
}

/** With the window closed, the channel's approved templates (SPEC §13), or that the customer opted out of them. */
async function templatesOffered(d: ReplyDeps, conv: Conversation): Promise<Record<string, string | number>> {
  const list = await readTemplateList(d.store, conv.channel);
  if (!list) return {};
  if (conv.optedOutAt !== undefined) return { optedOut: 1 };
  const summary = templateSummary(list);
  return summary ? { templates: summary } : {};
}

/**
 * The reply's figures, in its batch: the conversation's first response (from
 * its opening), and a response time when a customer message waited for it.
 * Read from the record the caller passed: two replies racing on one
 * conversation may both count as its response.
 */
function figureOps(d: ReplyDeps, conv: Conversation, now: number) {
  if (!d.stats) return [];
  return [
    ...(conv.firstResponseAt === undefined ? d.stats.recorder.firstResponse(conv.queue, now, now - conv.createdAt) : []),
    ...(conv.awaitingSince !== undefined ? d.stats.recorder.response(conv.queue, now, now - conv.awaitingSince) : []),
  ];
}
