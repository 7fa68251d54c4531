import type { Conversation, Seat } from './model.js';
import type { Clock, StorePort } from './ports.js';
import type { Conversations } from './conversations.js';
import type { Notifier } from './notifier.js';
import { keys } from './keys.js';
import { fail, ok, type Result } from './result.js';
import { recordAudit, type AuditWriter } from './record-audit.js';
import { checkSeat } from './claims/check-seat.js';
import { foldTag } from './routing/route-queue.js';
import { isUrgent, urgentTimerOps } from './sla/sla-timer-ops.js';

/** What tagging needs: the customer's tag set, the conversation record, the audit and the header. */
export interface TagPorts {
  store: Pick<StorePort, 'addMember' | 'removeMember' | 'writeAtomically'>;
  clock: Clock;
  conversations: Pick<Conversations, 'update'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
}

/** The tags a `!tag` line names: `#word` tags the conversation, a plain word the customer (SPEC §7). */
export interface TagWords { customer: string[]; conversation: string[] }

/** Splits `vip #urgent 退款` into customer and conversation tags, folded (case, full width, leading `#`). */
export function tagWords(words: readonly string[]): TagWords {
  const customer: string[] = [];
  const conversation: string[] = [];
  for (const w of words) {
    const tag = foldTag(w).slice(0, 40);
    if (!tag) continue;
    (w.normalize('NFKC').startsWith('#') ? conversation : customer).push(tag);
  }
  return { customer: [...new Set(customer)], conversation: [...new Set(conversation)] };
}

/**
 * `!tag` / `!untag` in a thread: customer tags (kept across the customer's
 * conversations, used by routing) and conversation tags. Any seat that may
 * answer the conversation may tag it; audited; the header shows the result.
 */
export async function tag(d: TagPorts, conv: Conversation, seat: Seat | undefined, words: TagWords, mode: 'add' | 'remove'): Promise<Result<Conversation>> {
  const denied = checkSeat(seat, 'chat.reply', 'tag', () => d.departmentOf(conv));
  if (denied) return denied;
  const setKey = keys.customerTags(conv.channel, conv.account, conv.customer.id);
  for (const t of words.customer) await (mode === 'add' ? d.store.addMember(setKey, t) : d.store.removeMember(setKey, t));
  const apply = (have: readonly string[] | undefined, given: string[]) =>
    mode === 'add' ? [...new Set([...(have ?? []), ...given])] : (have ?? []).filter((t) => !given.includes(t));
  let before: Conversation | undefined;
  const after = await d.conversations.update(conv.id, (c) => {
    before = c;
    const customerTags = apply(c.customer.tags, words.customer);
    const tags = apply(c.tags, words.conversation);
    const { tags: _c, ...customer } = c.customer;
    const { tags: _t, ...rest } = c;
    return { ...rest, customer: { ...customer, ...(customerTags.length ? { tags: customerTags } : {}) }, ...(tags.length ? { tags } : {}) };
  });
  if (!after) return fail('unknown_conversation');
  // `!tag #urgent` calls the supervisors like the customer's own `#urgent` (the timer's firing sends it once per conversation).
  if (isUrgent(after) && !(before && isUrgent(before))) await d.store.writeAtomically(urgentTimerOps(conv.id, d.clock.now()));
  await recordAudit(d.audit, seat!.id, mode === 'add' ? 'chat.tag' : 'chat.untag', conv.id, { customer: before?.customer.tags ?? [], conversation: before?.tags ?? [] }, { customer: after.customer.tags ?? [], conversation: after.tags ?? [] });
  await d.notifier.refreshHeader(conv);
  return ok(after);
}
