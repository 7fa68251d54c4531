import type { AutoReplyWords } from '../core/intake/auto-replies.js';
import type { LanguageSettings } from '../i18n/choose-language.js';
import { queueLanguage } from '../i18n/choose-language.js';
import { t } from '../i18n/format.js';
import { formatTime } from '../i18n/format-time.js';

/**
 * The desk's automatic replies in each queue's language: a configured
 * template with its variables, or the language's own words. Variables a
 * template does not know are left as written, so a typo shows instead of
 * vanishing.
 */
export function autoReplyWords(settings: LanguageSettings): AutoReplyWords {
  const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(customer_name|queue|opens_at)\}/g, (whole, name: string) => vars[name] ?? whole);
  const nameOf = (lang: string, name: string | undefined) => name ?? t(lang, 'auto.customer_fallback');
  return {
    away(conv, template, opensAt, timeZone) {
      const lang = queueLanguage(settings, conv.queue);
      const customerName = nameOf(lang, conv.customer.name);
      const opens = opensAt === undefined ? undefined : formatTime(lang, opensAt, timeZone);
      if (template) return fill(template, { customer_name: customerName, queue: conv.queue, opens_at: opens ?? t(lang, 'auto.opens_soon') });
      return opens === undefined ? t(lang, 'auto.away_no_time', { name: customerName }) : t(lang, 'auto.away', { name: customerName, opens });
    },
    welcome(conv, template) {
      const lang = queueLanguage(settings, conv.queue);
      return fill(template, { customer_name: nameOf(lang, conv.customer.name), queue: conv.queue });
    },
    sentNotice(conv, kind, text) {
      return t(queueLanguage(settings, conv.queue), kind === 'welcome' ? 'notice.auto_sent_welcome' : 'notice.auto_sent_away', { text });
    },
  };
}
