import { fail, ok } from '../../core/result.js';
import { SeatAdmin } from '../../core/seat-admin.js';
import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import { LANGUAGE_TAGS, parseLanguage } from '../../i18n/languages.js';
import type { Command } from './types.js';
import { languageOption } from './options.js';

/** `/lang [language]`: one's own language for private answers, DMs and alerts (SPEC §14). */
export const langCommand: Command = {
  name: 'lang',
  usage: `lang [${LANGUAGE_TAGS.join('|')}]`,
  description: 'Your language for private answers, DMs and alerts',
  options: [languageOption('en or zh-CN (zh and zh-Hans work too)', false, false)],
  example: '/lang zh-CN',
  requires: { seat: true, enabled: true },
  async run(ctx, { args }) {
    const written = args.words[0];
    if (!written) {
      await ctx.replyPrivately(t(ctx.lang, 'reply.lang_current', { lang: ctx.lang, accepted: LANGUAGE_TAGS.join(', ') }));
      return ok(undefined);
    }
    const lang = parseLanguage(written);
    if (!lang) return fail('unknown_language', { lang: written });
    const result = await new SeatAdmin(ctx.desk).setLanguage(ctx.seat, lang);
    if (!result.ok) return result;
    // Said in the new language: the first thing read in it.
    await ctx.replyPrivately(t(readerLanguage(ctx.desk.settings, result.value), 'reply.lang_set', { lang }));
    return ok(undefined);
  },
};
