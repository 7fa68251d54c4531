import type { Conversation } from '../core/model.js';
import type { HandlerContext } from './context.js';
import { handleCommand } from './handle-command.js';
import { templateLine } from './templates-view-text.js';
import { t } from '../i18n/format.js';

/**
 * After a reply refused for the closed window (SPEC §13): the approved
 * templates as a picker, shown only to the agent who wrote (Slack renders a
 * select; messengers without one get its text: each template's line to type).
 */
export async function offerTemplates(ctx: HandlerContext, conv: Conversation): Promise<void> {
  const templates = await ctx.desk.extras.templatesOffered(conv);
  if (templates.length) await ctx.showPrivately({ kind: 'templates', lang: ctx.lang, convId: conv.id, templates });
}

/**
 * A template picked (`<name> <language>`): one without values is sent at
 * once, as `!template <name> <language>` is, with all of its checks; one
 * with values answers privately with the exact line to type.
 */
export async function handleTemplatePick(ctx: HandlerContext, args: string): Promise<void> {
  const [name, language] = args.split(' ');
  const conv = ctx.conversation;
  if (!name || !language || !conv) return;
  const tpl = (await ctx.desk.extras.templatesOffered(conv)).find((x) => x.name === name && x.language === language);
  if (tpl && tpl.params > 0) {
    await ctx.replyPrivately(t(ctx.lang, 'templates.type_values', { name, language, values: tpl.params, line: `\`${templateLine(tpl)}\`` }));
    return;
  }
  // Unknown now (the list changed, the customer opted out): the command's own refusal says so.
  await handleCommand(ctx, 'template', `${name} ${language}`);
}
