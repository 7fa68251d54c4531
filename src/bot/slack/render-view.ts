import type { types } from '@slack/bolt';
import type { PrivateView } from '../../core/overview/private-view.js';
import { presenceText, waitingHeaderText, waitingRowText } from '../../handlers/queue-view-text.js';
import { privateViewText } from '../../handlers/private-view-text.js';
import { templateOptionText } from '../../handlers/templates-view-text.js';
import { coverageText, queueFiguresText, seatFiguresText, statsTitleText } from '../../handlers/stats-view-text.js';
import { t } from '../../i18n/format.js';
import { escape } from './render.js';

/** A message carries at most 50 blocks (docs.slack.dev "Blocks"): the rest is cut, with the plain text still whole. */
export const BLOCK_LIMIT = 50;
/** A text object in a section or context holds at most 3,000 characters (docs.slack.dev "Composition objects"). */
const TEXT_LIMIT = 3000;

/**
 * A private view in Block Kit. `/queue`: per queue a header section, one
 * section per waiting conversation with a Claim button as its accessory
 * (action id `td:claim`, the conversation id as value, as the header
 * card's, so the same action handler claims it), and who is online.
 * `text` is the plain form (notifications, clients without blocks).
 */
export function renderView(view: PrivateView): { text: string; blocks: types.KnownBlock[] } {
  if (view.kind === 'stats') return renderStats(view);
  if (view.kind === 'templates') return renderTemplatePicker(view);
  const { lang } = view;
  const text = privateViewText(view);
  if (!view.queues.length) return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escape(text) } }] };
  const blocks: types.KnownBlock[] = [];
  for (const q of view.queues) {
    if (blocks.length) blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escape(t(lang, 'queue.title', { queue: q.queue, department: q.department }))}*\n${escape(waitingHeaderText(lang, q))}` } });
    for (const row of q.waiting) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: escape(waitingRowText(lang, row)) },
        accessory: { type: 'button', action_id: 'td:claim', value: row.convId, style: 'primary', text: { type: 'plain_text', text: t(lang, 'button.claim') } },
      });
    }
    if (q.moreWaiting) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escape(t(lang, 'queue.more', { n: q.moreWaiting })) }] });
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(presenceText(lang, q))) }] });
  }
  return { text, blocks: blocks.slice(0, BLOCK_LIMIT) };
}

/**
 * `/stats` in Block Kit: per department a header, a section per queue (and
 * the total), the seats as a context, and the coverage per hour as a context.
 */
function renderStats(view: Extract<PrivateView, { kind: 'stats' }>): { text: string; blocks: types.KnownBlock[] } {
  const { lang } = view;
  const text = privateViewText(view);
  if (!view.departments.length) return { text, blocks: [textSection(escape(text))] };
  const blocks: types.KnownBlock[] = [];
  for (const d of view.departments) {
    if (blocks.length) blocks.push({ type: 'divider' });
    blocks.push({ type: 'header', text: { type: 'plain_text', text: statsTitleText(lang, d).slice(0, 150) } });
    for (const q of d.queues) blocks.push(textSection(escape(queueFiguresText(lang, q))));
    if (d.queues.length > 1) blocks.push(textSection(`*${escape(queueFiguresText(lang, d.total))}*`));
    const seats = d.seats.length ? [t(lang, 'stats.seats_header'), ...d.seats.map((s) => `• ${seatFiguresText(lang, s)}`)].join('\n') : t(lang, 'stats.no_seats');
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(seats)) }] });
    if (d.coverage) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(`${t(lang, 'stats.coverage_header')}\n${coverageText(lang, d.coverage)}`)) }] });
  }
  return { text, blocks: blocks.slice(0, BLOCK_LIMIT) };
}

/** A static select holds at most 100 options, each text at most 75 characters and value at most 150 (docs.slack.dev "Select menu element", "Option object"). */
const OPTION_LIMIT = 100;

/**
 * A closed window's template picker: the title and a static select
 * (action id `td:template`) whose options carry the conversation, the name
 * and the language (`<conversation> <name> <language>`), so the pick is
 * handled without the message it sits on (an ephemeral one is not sent with
 * the action), by the header buttons' handler.
 */
function renderTemplatePicker(view: Extract<PrivateView, { kind: 'templates' }>): { text: string; blocks: types.KnownBlock[] } {
  const { lang } = view;
  const options = view.templates
    .map((tpl) => ({ text: { type: 'plain_text' as const, text: cutTo(templateOptionText(lang, tpl), 75) }, value: [view.convId, tpl.name, tpl.language].join(' ') }))
    .filter((o) => o.value.length <= 150)
    .slice(0, OPTION_LIMIT);
  const text = privateViewText(view);
  if (!options.length) return { text, blocks: [textSection(escape(text))] };
  return {
    text,
    blocks: [{
      type: 'section', text: { type: 'mrkdwn', text: escape(t(lang, 'templates.pick_title')) },
      accessory: { type: 'static_select', action_id: 'td:template', placeholder: { type: 'plain_text', text: t(lang, 'templates.pick_placeholder') }, options },
    }],
  };
}

function cutTo(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A text already in mrkdwn as a section (a private answer said beside a view). */
export function textSection(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text) } };
}

function cut(text: string): string {
  return text.length <= TEXT_LIMIT ? text : `${text.slice(0, TEXT_LIMIT - 1)}…`;
}
