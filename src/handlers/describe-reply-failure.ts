import type { Failure } from '../core/result.js';
import { t } from '../i18n/format.js';

/** The failures of templates and of changed replies (SPEC §13), in words; undefined for any other code. */
export function describeReplyFailure(failure: Failure, p: string, lang: string | undefined): string | undefined {
  const d = failure.detail ?? {};
  const s = (v: string | number | undefined) => String(v ?? '');
  switch (failure.code) {
    case 'templates_unavailable':
      return t(lang, 'failure.templates_unavailable', { channel: s(d.channel) });
    case 'unknown_template':
      return t(lang, 'failure.unknown_template', { p, name: s(d.name), templates: d.templates === undefined ? 'none' : s(d.templates) });
    case 'template_language':
      return t(lang, 'failure.template_language', { p, name: s(d.name), languages: s(d.languages) });
    case 'template_parameters':
      return t(lang, 'failure.template_parameters', { p, name: s(d.name), language: s(d.language), expected: Number(d.expected), given: Number(d.given) });
    case 'customer_opted_out':
      return t(lang, 'failure.customer_opted_out');
    case 'reply_change_unsupported':
      // A channel's change that failed on the way (Telegram refused it) carries its reason.
      if (d.reason !== undefined) return t(lang, 'failure.reply_change_failed', { change: s(d.change), channel: s(d.channel), reason: s(d.reason) });
      return t(lang, 'failure.reply_change_unsupported', { change: s(d.change), channel: s(d.channel) });
    case 'reply_recall_window':
      return t(lang, 'failure.reply_recall_window', { change: s(d.change), channel: s(d.channel), minutes: Number(d.minutes) });
    default:
      return undefined;
  }
}

/** What a closed window's refusal adds (SPEC §13): the approved templates to send instead, or that the customer opted out. */
export function windowClosedExtra(d: NonNullable<Failure['detail']>, p: string, lang: string | undefined): string {
  if (d.optedOut) return t(lang, 'failure.window_opted_out');
  return typeof d.templates === 'string' ? t(lang, 'failure.window_templates', { p, templates: d.templates }) : '';
}
