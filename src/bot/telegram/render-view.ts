import type { InlineKeyboardMarkup } from 'grammy/types';
import type { PrivateView } from '../../core/overview/private-view.js';
import { presenceText, waitingHeaderText, waitingRowText } from '../../handlers/queue-view-text.js';
import { privateViewText } from '../../handlers/private-view-text.js';
import { t } from '../../i18n/format.js';
import { callbackData, CALLBACK_DATA_LIMIT } from './render.js';
import { templateOptionText } from '../../handlers/templates-view-text.js';

/**
 * A private view as a Telegram message: plain text (no parse mode: customer
 * names cannot break markup) and an inline keyboard. `/queue`: each waiting
 * conversation numbered, and one Claim button per number, whose
 * `callback_data` is the header's (`td:claim:<conversation id>`), so the
 * same button handler claims it from this private chat.
 */
export function renderView(view: PrivateView): { text: string; reply_markup?: InlineKeyboardMarkup } {
  // Figures have no buttons: their plain text is the whole message.
  if (view.kind === 'stats') return { text: privateViewText(view) };
  if (view.kind === 'templates') return renderTemplatePicker(view);
  const { lang } = view;
  if (!view.queues.length) return { text: privateViewText(view) };
  const rows: { text: string; callback_data: string }[][] = [];
  const blocks = view.queues.map((q) => [
    t(lang, 'queue.title', { queue: q.queue, department: q.department }),
    waitingHeaderText(lang, q),
    ...q.waiting.map((row) => {
      const n = rows.length + 1;
      rows.push([{ text: `${n}. ${t(lang, 'button.claim')}: ${row.customerName ?? t(lang, 'queue.unknown_customer')}`.slice(0, 64), callback_data: callbackData('claim', row.convId) }]);
      return `${n}. ${waitingRowText(lang, row)}`;
    }),
    ...(q.moreWaiting ? [t(lang, 'queue.more', { n: q.moreWaiting })] : []),
    presenceText(lang, q),
  ].join('\n'));
  return { text: blocks.join('\n\n'), ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) };
}

/**
 * A closed window's template picker: the text (each template with the line
 * to type) and a button per template, `td:template:<conversation> <name>
 * <language>`, handled like a header button. A template whose data would not
 * fit Telegram's 64 bytes gets no button: its line in the text stays.
 */
function renderTemplatePicker(view: Extract<PrivateView, { kind: 'templates' }>): { text: string; reply_markup?: InlineKeyboardMarkup } {
  const text = privateViewText(view);
  const rows = view.templates
    .map((tpl) => ({ text: templateOptionText(view.lang, tpl).slice(0, 64), callback_data: `td:template:${[view.convId, tpl.name, tpl.language].join(' ')}` }))
    .filter((b) => Buffer.byteLength(b.callback_data) <= CALLBACK_DATA_LIMIT)
    .map((b) => [b]);
  return rows.length ? { text, reply_markup: { inline_keyboard: rows } } : { text };
}
