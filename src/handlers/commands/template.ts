import { ok } from '../../core/result.js';
import { conversationOf, inConversation, seatOf } from '../preconditions.js';
import type { Command } from './types.js';
import { t } from '../../i18n/format.js';

/** The words after the command: quotes group a value with spaces (`"two words"`). */
function wordsOf(raw: string): string[] {
  return [...raw.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/**
 * `!template <name> [language] [values…]` (`!模板`): an approved template to
 * the customer, the one thing WhatsApp takes once its 24-hour window closed
 * (SPEC §13). Checked against the channel's cached list first; refusals say
 * what to type.
 */
export const templateCommand: Command = {
  name: 'template',
  usage: 'template <name> [language] [values…]',
  description: 'Send an approved template (WhatsApp, when the 24-hour window closed)',
  options: [
    { name: 'name', description: 'The template\'s name, as approved', type: 'string', required: true, maxLength: 512 },
    { name: 'values', description: 'Its language (optional), then its values in order', type: 'string', maxLength: 1000 },
  ],
  example: '/template name:order_update values:en 1234',
  requires: inConversation('chat.reply', 'send templates'),
  async run(ctx, { raw }) {
    const conv = conversationOf(ctx);
    const seat = seatOf(ctx);
    const [name, ...words] = wordsOf(raw);
    if (!name) return { ok: false, failure: { code: 'bad_arguments', detail: { usage: 'template <name> [language] [values…]', example: '!template order_update en 1234' } } };
    const sent = await ctx.desk.extras.sendTemplate(conv, seat, { name, words });
    if (!sent.ok) {
      const f = sent.failure;
      // The claimer by name, as the thread knows them.
      if (f.code === 'not_claimer' && typeof f.detail?.holder === 'string') return { ok: false, failure: { ...f, detail: { holder: await ctx.desk.nameOf(f.detail.holder) } } };
      return sent;
    }
    await ctx.reply(t(ctx.threadLang, 'notice.template_queued', { who: seat.name, name: sent.value.name, language: sent.value.language }));
    return ok(undefined);
  },
};
