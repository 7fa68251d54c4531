import type { Conversation, Seat } from '../core/model.js';
import type { SlaWords } from '../core/sla/sla-ports.js';
import { queueLanguage, readerLanguage, type LanguageSettings } from '../i18n/choose-language.js';
import { t } from '../i18n/format.js';
import { formatDuration } from '../i18n/format-time.js';

/**
 * The words of SLA notices (the queue's language: everyone in its channel
 * reads them) and of the supervisors' DMs (each supervisor's own language).
 */
export function slaWords(settings: LanguageSettings): SlaWords {
  const queueLang = (conv: Conversation) => queueLanguage(settings, conv.queue);
  const about = (lang: string, conv: Conversation) => ({ customer: conv.customer.name ?? t(lang, 'word.a_customer'), channel: conv.channel, queue: conv.queue });
  return {
    firstResponse(conv, waitedMs, claimed) {
      const lang = queueLang(conv);
      return t(lang, 'notice.sla_first_response', { waited: waited(lang, waitedMs), claimed: claimed ? 'yes' : 'no' });
    },
    noReply(conv, waitedMs) {
      const lang = queueLang(conv);
      return t(lang, 'notice.sla_no_reply', { waited: waited(lang, waitedMs) });
    },
    escalation(conv, supervisor: Seat, waitedMs) {
      const lang = readerLanguage(settings, supervisor);
      return t(lang, 'dm.sla_escalated', { ...about(lang, conv), waited: waited(lang, waitedMs) });
    },
    urgent(conv, supervisor: Seat) {
      const lang = readerLanguage(settings, supervisor);
      return t(lang, 'dm.sla_urgent', about(lang, conv));
    },
    inactiveClosed(conv, silentMs) {
      const lang = queueLang(conv);
      return t(lang, 'notice.inactive_closed', { silent: waited(lang, silentMs) });
    },
  };
}

/** SLA targets are in seconds (`first_response_seconds`, default 90), so under two minutes says seconds: 90 s is not "2 minutes". */
function waited(lang: string, ms: number): string {
  return ms < 120_000 ? t(lang, 'time.seconds', { n: Math.max(1, Math.round(ms / 1000)) }) : formatDuration(lang, ms);
}
