import type { Desk } from '../core/desk.js';
import { createContext, type ContextVerbs, type HandlerContext, type Update } from './context.js';
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
  await runUpdate(await createContext(desk, update, verbs), update);
}

/**
 * The context's reads (the actor's seat, the thread's conversation) depend on
 * nothing but the update: an adapter may start them beside its "processed
 * once" mark and hand them in here, one store round trip sooner.
 */
export function prefetchContext(desk: Desk, update: Update): Promise<HandlerContext> {
  const ctx = createContext(desk, update);
  // Not awaited when the mark says the update is a repeat: its failure then matters to nobody.
  ctx.catch(() => undefined);
  return ctx;
}

/** Runs the handler of `update` with its context. */
export async function runUpdate(ctx: HandlerContext, update: Update): Promise<void> {
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
