import type { Desk } from '../core/desk.js';
import { createContext, type ContextVerbs, type Update } from './context.js';
import { handleCommand } from './handle-command.js';
import { handleThreadMessage } from './handle-thread-message.js';
import { handleReplyChange } from './handle-reply-change.js';
import { handleAgentTyping } from './handle-agent-typing.js';
import { handleTemplatePick } from './handle-template-pick.js';

/**
 * The one entry every messenger calls with a neutral update (bolt's
 * `processEvent`, grammY's `handleUpdate`): builds the context and runs the
 * handler. Resolves once every effect is in the outbox.
 */
export async function dispatch(desk: Desk, update: Update, verbs?: ContextVerbs): Promise<void> {
  const ctx = await createContext(desk, update, verbs);
  switch (update.kind) {
    case 'thread_message':
      await handleThreadMessage(ctx, update.text, update.mentions, update.messageId, update.files);
      return;
    case 'command':
      await handleCommand(ctx, update.name, update.args, update.mentions ?? [], update.files ?? []);
      return;
    case 'reply_changed':
      await handleReplyChange(ctx, update.messageId, update.text);
      return;
    case 'typing':
      handleAgentTyping(ctx);
      return;
    case 'action':
      if (update.name === 'template') { await handleTemplatePick(ctx, update.args ?? ''); return; }
      // Header buttons are the same commands, on the conversation they sit on.
      await handleCommand(ctx, update.name, '');
      return;
  }
}
