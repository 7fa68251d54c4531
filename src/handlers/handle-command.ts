import type { HandlerContext } from './context.js';
import { isConversationCommand, runConversationCommand } from './conversation-commands.js';
import { describeFailure } from './describe-failure.js';

/**
 * Every command, from a slash command or an in-thread `!command`, by name.
 * Later commands (`seat`, `assign`, …) register here too.
 */
export async function handleCommand(ctx: HandlerContext, name: string, _args: string): Promise<void> {
  if (isConversationCommand(name)) {
    await runConversationCommand(ctx, name);
    return;
  }
  await ctx.replyPrivately(describeFailure({ code: 'unknown_command', detail: { command: name } }));
}
