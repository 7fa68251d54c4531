import type { Conversation, Seat } from '../model.js';
import type { Result } from '../result.js';
import { changeReply, type ChangeDeps, type ChangeOutcome } from './change-reply.js';
import { sendTemplate, type TemplateDeps, type TemplateRequest } from '../templates/send-template.js';
import { readTemplateList, type TemplateInfo } from '../templates/template-list.js';

/**
 * Replies beyond text (SPEC §13) as the desk offers them: templates when a
 * channel's window closed, and an agent's edits and deletes of a sent
 * reply. A facade like the desk's own, so desk.ts only holds one of these.
 */
export class ReplyExtras {
  constructor(private readonly d: TemplateDeps & ChangeDeps) {}

  /** `!template …` (see templates/send-template.ts). */
  sendTemplate(conv: Conversation, seat: Seat, req: TemplateRequest): Promise<Result<{ name: string; language: string }>> {
    return sendTemplate(this.d, conv, seat, req);
  }

  /** The approved templates a conversation's agent may pick (the header picker); none for a customer who opted out. */
  async templatesOffered(conv: Conversation): Promise<TemplateInfo[]> {
    if (conv.optedOutAt !== undefined) return [];
    return (await readTemplateList(this.d.store, conv.channel))?.templates ?? [];
  }

  /** An agent edited (`text`) or deleted (no `text`) a thread message that may be a reply (see replies/change-reply.ts). */
  changeReply(conv: Conversation, seat: Seat | undefined, agentMessageId: string, text?: string): Promise<Result<ChangeOutcome>> {
    return changeReply(this.d, conv, seat, agentMessageId, text);
  }
}
