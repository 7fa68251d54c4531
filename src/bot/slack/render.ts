import type { types } from '@slack/bolt';
import type { HeaderCard } from '../../core/header-card.js';
import { buttonLabel, closedLabel, customerLabel, repliesLeftLabel, statusLabel } from '../kit/status-label.js';
import { t } from '../../i18n/format.js';

/** Block Kit for the header card. Action ids are `td:<action>`, the value is the conversation id. */
export function renderHeader(card: HeaderCard): { text: string; blocks: types.KnownBlock[] } {
  const { lang } = card;
  const status = statusLabel(card);
  const customer = customerLabel(card);
  const closed = closedLabel(card);
  const window = card.windowClosesAt === undefined
    ? t(lang, 'header.window_none')
    : card.windowOpen ? t(lang, 'header.window_closes', { time: slackDate(card.windowClosesAt) }) : `*${t(lang, 'header.window_closed', { time: slackDate(card.windowClosesAt) })}*`;
  const fields = [
    `*${t(lang, 'header.customer')}*\n${escape(customer)}`,
    `*${t(lang, 'header.channel')}*\n${escape(card.channel)}`,
    `*${t(lang, 'header.queue')}*\n${escape(card.queue)}`,
    `*${t(lang, 'header.status')}*\n${status}`,
    `*${t(lang, 'header.assignee')}*\n${card.assignee ? escape(card.assignee) : '—'}`,
    `*${t(lang, 'header.window')}*\n${window}${repliesLeftLabel(card)}`,
    ...(card.tags ? [`*${t(lang, 'header.tags')}*\n${escape(card.tags.join(' '))}`] : []),
    ...(closed ? [`*${t(lang, 'header.hours')}*\n${closed}`] : []),
  ];
  return {
    text: t(lang, 'header.summary', { customer, channel: card.channel, status }),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(customer)}* · ${escape(card.channel)}` } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      {
        type: 'actions',
        block_id: `td:header:${card.convId}`,
        elements: [
          ...card.buttons.map((b): types.Button => ({
            type: 'button',
            action_id: `td:${b.action}`,
            value: card.convId,
            text: { type: 'plain_text', text: buttonLabel(card, b.action) },
            ...(b.style ? { style: b.style } : {}),
          })),
          // Person pickers (a modal): Slack cannot run slash commands inside threads.
          ...(card.status === 'closed' ? [] : (['transfer', 'escalate'] as const).map((kind): types.Button => ({
            type: 'button',
            action_id: `tdpick:${kind}`,
            value: card.convId,
            text: { type: 'plain_text', text: buttonLabel(card, kind) },
          }))),
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: t(lang, 'header.hint') }] },
    ],
  };
}

/** Slack renders `<!date^…>` in each reader's own time zone. */
function slackDate(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `<!date^${s}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** Slack mrkdwn control characters (docs.slack.dev "Formatting text": escape &, <, >). */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a picker modal carries back on submission. */
export interface PickerMetadata { convId: string; channel: string; thread: string }

/**
 * The person picker behind Transfer… and Escalate…: one person for a
 * transfer; at most two for an escalation (SPEC §5), enforced by Slack's
 * `max_selected_items` and checked again on submission.
 */
export function renderPicker(kind: 'transfer' | 'escalate', meta: PickerMetadata, lang?: string): types.ModalView {
  const text = (key: Parameters<typeof t>[1]) => ({ type: 'plain_text' as const, text: t(lang, key as 'slack.cancel') });
  const person: types.UsersSelect | types.MultiUsersSelect = kind === 'transfer'
    ? { type: 'users_select', action_id: 'who', placeholder: text('slack.picker_colleague') }
    : { type: 'multi_users_select', action_id: 'who', max_selected_items: 2, placeholder: text('slack.picker_colleagues') };
  return {
    type: 'modal',
    callback_id: `td:${kind}`,
    private_metadata: JSON.stringify(meta),
    title: text(kind === 'transfer' ? 'slack.picker_title_transfer' : 'slack.picker_title_escalate'),
    submit: text(kind === 'transfer' ? 'slack.picker_submit_transfer' : 'slack.picker_submit_escalate'),
    close: text('slack.cancel'),
    blocks: [
      { type: 'input', block_id: 'who', label: text(kind === 'transfer' ? 'slack.picker_who_transfer' : 'slack.picker_who_escalate'), element: person },
      { type: 'input', block_id: 'reason', optional: kind === 'transfer', label: text('slack.picker_reason'), element: { type: 'plain_text_input', action_id: 'text', multiline: true } },
    ],
  };
}
