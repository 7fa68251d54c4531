import { classifyThreadMessage } from '../core/thread-message.js';
import { can } from '../core/permissions.js';
import type { HandlerContext } from './context.js';
import { describeFailure } from './describe-failure.js';
import { offerTemplates } from './handle-template-pick.js';
import { handleCommand } from './handle-command.js';
import { escalate } from './commands/escalate.js';
import { t } from '../i18n/format.js';
import { commandOfAlias } from '../i18n/aliases.js';
import type { AgentFile } from '../core/files/agent-file.js';
import { checkFiles } from '../core/files/file-limits.js';

export type ThreadMessageOutcome = 'sent' | 'note' | 'internal' | 'command' | 'refused' | 'ignored';

/**
 * An agent wrote in a conversation's thread (SPEC §5). The claimer's reply goes
 * to the customer; `//` or `note:` stays internal; anyone else's message stays
 * internal with a private hint; with nobody claimed, the first replier claims
 * (when configured). Commands (`!claim`) are never sent to the customer.
 *
 * A reply with files goes with them (its text their caption) when the
 * customer's channel takes their types and sizes; otherwise it is refused
 * whole, said in the thread with the limit, never marked ✓: sending its text
 * alone would let the thread suggest the customer saw the file.
 */
export async function handleThreadMessage(ctx: HandlerContext, text: string, mentions: string[], messageId: string, files: readonly AgentFile[] = []): Promise<ThreadMessageOutcome> {
  const { desk, seat, conversation: conv } = ctx;
  if (!conv) return 'ignored';
  // Nothing to say and nothing attached (an empty share): never an empty message to the customer.
  if (!text.trim() && !files.length) return 'ignored';
  const kind = classifyThreadMessage(text, mentions, desk.settings.rules);
  const author = seat?.id ?? `${ctx.actor.platform}:${ctx.actor.userId}`;

  if (kind.kind === 'command') {
    const name = commandOfAlias(kind.name);
    // `!备注 …` (or `!note …`): an internal note, like `//`.
    if (name === 'note') {
      await desk.note(conv, author, text);
      return 'note';
    }
    await handleCommand(ctx, name, kind.args, mentions);
    return 'command';
  }
  if (kind.kind === 'note') {
    await desk.note(conv, author, text);
    return 'note';
  }
  if (kind.kind === 'mention') {
    // Mentioning colleagues is an escalation: internal, they get a DM (at most two).
    await desk.note(conv, author, text);
    const escalated = await escalate(ctx, kind.mentions, text);
    if (!escalated.ok) await ctx.replyPrivately(describeFailure(escalated.failure, { lang: ctx.lang }));
    return 'internal';
  }
  // A plain reply: does it go to the customer?
  if (!seat || !seat.enabled) {
    await desk.note(conv, author, text);
    await ctx.replyPrivately(describeFailure({ code: seat ? 'seat_disabled' : 'not_a_seat' }, { lang: ctx.lang }));
    return 'internal';
  }
  if (conv.status === 'closed') {
    await desk.note(conv, author, text);
    await ctx.replyPrivately(stayedInternal(ctx.lang, describeFailure({ code: 'conversation_closed' }, { lang: ctx.lang })));
    return 'internal';
  }
  // Another department's chat: its seats neither answer nor claim it (SPEC §6).
  const department = desk.queueOf(conv).department;
  if (!can(seat, 'chat.reply', { department })) {
    await desk.note(conv, author, text);
    const failure = can(seat, 'chat.reply') ? { code: 'outside_department' as const, detail: { department } } : { code: 'permission_denied' as const, detail: { action: 'answer customers' } };
    await ctx.replyPrivately(stayedInternal(ctx.lang, describeFailure(failure, { lang: ctx.lang })));
    return 'internal';
  }
  let holder = await desk.conversations.claimer(conv.id);
  // Checked before the first-replier claim: a reply that cannot be sent claims nothing.
  const allowed = files.length && (holder === seat.id || (!holder && desk.settings.firstReplierClaims)) ? checkFiles(desk.settings.channels, conv.channel, files) : undefined;
  if (allowed && !allowed.ok) {
    await desk.note(conv, author, text.trim() ? `${text}\n(not sent: ${fileNames(files)})` : `(not sent: ${fileNames(files)})`);
    await ctx.reply(describeFailure({ ...allowed.failure, detail: { ...allowed.failure.detail, ...(text.trim() ? { withText: 1 } : {}) } }, { lang: ctx.threadLang }));
    return 'refused';
  }
  // A paused seat may claim by hand, not by replying (SPEC §7): its reply stays internal.
  if (!holder && desk.settings.firstReplierClaims && seat.presence !== 'paused') {
    const claimed = await desk.claim(conv, seat);
    if (claimed.ok) {
      await ctx.reply(t(ctx.threadLang, 'notice.first_replier', { who: seat.name }));
      holder = seat.id;
    } else {
      holder = await desk.conversations.claimer(conv.id);
    }
  }
  if (holder !== seat.id) {
    await desk.note(conv, author, text);
    const failure = holder
      ? { code: 'not_claimer' as const, detail: { holder: await desk.nameOf(holder) } }
      : { code: 'not_claimed' as const };
    const words = describeFailure(failure, { lang: ctx.lang });
    const hint = failure.code === 'not_claimed' ? stayedInternal(ctx.lang, words) : words;
    await ctx.replyPrivately(hint);
    return 'internal';
  }
  const sent = await desk.replyToCustomer(conv, seat, text, messageId, files);
  if (!sent.ok) {
    // Said in the thread, so whoever looks at it sees why the customer got nothing.
    await ctx.reply(describeFailure(sent.failure, { lang: ctx.threadLang }));
    if (sent.failure.code === 'window_closed' && typeof sent.failure.detail?.templates === 'string') await offerTemplates(ctx, conv);
    return 'refused';
  }
  return 'sent';
}

/** A refusal followed by "your message stayed internal". */
function stayedInternal(lang: string, text: string): string {
  return t(lang, 'failure.stayed_internal', { text });
}

/** Attached files named for a note: "photo.png, invoice.pdf". */
function fileNames(files: readonly { name: string }[]): string {
  const names = files.slice(0, 3).map((f) => f.name).join(', ');
  return files.length > 3 ? `${names} and ${files.length - 3} more` : names;
}
