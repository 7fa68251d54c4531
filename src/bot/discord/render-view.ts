import { ButtonStyle, ComponentType } from 'discord.js';
import type { PrivateView } from '../../core/overview/private-view.js';
import { presenceText, waitingHeaderText, waitingRowText } from '../../handlers/queue-view-text.js';
import { privateViewText } from '../../handlers/private-view-text.js';
import { departmentStatsText, statsTitleText } from '../../handlers/stats-view-text.js';
import { t } from '../../i18n/format.js';
import { customId } from './render.js';

/** An action row holds at most 5 buttons (platform-facts.md §5); a message at most 5 rows and 10 embeds (Discord's message reference). */
const EMBED_LIMIT = 10;
const ROWS_LIMIT = 5;
const BUTTONS_PER_ROW = 5;
/** An embed's description holds at most 4,096 characters, and a message's embeds 6,000 in all (Discord's embed limits). */
const DESCRIPTION_LIMIT = 4096;
const EMBEDS_TOTAL_LIMIT = 6000;

/** What a rendered view adds to an (ephemeral) interaction reply. */
export interface RenderedView {
  embeds: { title: string; description: string; color: number }[];
  components: { type: ComponentType.ActionRow; components: { type: ComponentType.Button; custom_id: string; label: string; style: ButtonStyle }[] }[];
}

/**
 * A private view as embeds and buttons. `/queue`: an embed per queue with its
 * waiting conversations numbered, and a Claim button per number whose
 * `custom_id` is the header's (`td:claim:<conversation id>`), so the same
 * interaction handler claims it from this ephemeral reply. Buttons beyond
 * Discord's 25 are left out (the rows keep their numbers and can be claimed
 * in their threads).
 */
export function renderView(view: PrivateView): RenderedView {
  if (view.kind === 'stats') return renderStats(view);
  // The template picker is Slack's only for now: here its text says what to type.
  if (view.kind === 'templates') return { embeds: [{ title: t(view.lang, 'command.template').slice(0, 256), description: privateViewText(view).slice(0, 4096), color: 0x95a5a6 }], components: [] };
  const { lang } = view;
  if (!view.queues.length) return { embeds: [{ title: t(lang, 'command.queue'), description: privateViewText(view), color: 0x95a5a6 }], components: [] };
  const buttons: RenderedView['components'][number]['components'] = [];
  let n = 0;
  const embeds = view.queues.slice(0, EMBED_LIMIT).map((q) => {
    const lines = [
      waitingHeaderText(lang, q),
      ...q.waiting.map((row) => {
        n += 1;
        if (buttons.length < ROWS_LIMIT * BUTTONS_PER_ROW) {
          buttons.push({ type: ComponentType.Button, custom_id: customId('claim', row.convId), label: `${n}. ${t(lang, 'button.claim')}`, style: ButtonStyle.Primary });
        }
        return `${n}. ${waitingRowText(lang, row)}`;
      }),
      ...(q.moreWaiting ? [t(lang, 'queue.more', { n: q.moreWaiting })] : []),
      '',
      presenceText(lang, q),
    ].join('\n');
    return {
      title: t(lang, 'queue.title', { queue: q.queue, department: q.department }).slice(0, 256),
      description: lines,
      color: q.waiting.length ? 0xf1c40f : 0x2ecc71,
    };
  });
  return { embeds: withinBudget(embeds), components: rowsOf(buttons) };
}

/** `/stats`: an embed per department, its title the department and days, its description the figures. */
function renderStats(view: Extract<PrivateView, { kind: 'stats' }>): RenderedView {
  const { lang } = view;
  if (!view.departments.length) return { embeds: [{ title: t(lang, 'command.stats').slice(0, 256), description: privateViewText(view), color: 0x95a5a6 }], components: [] };
  const embeds = view.departments.slice(0, EMBED_LIMIT).map((d) => {
    const title = statsTitleText(lang, d);
    // The department's text starts with the same title: the embed shows it once, as its title.
    const description = departmentStatsText(lang, d).slice(title.length).trim();
    return { title: title.slice(0, 256), description, color: 0x3498db };
  });
  return { embeds: withinBudget(embeds), components: [] };
}

/** Cuts descriptions (and drops embeds) so the message stays within Discord's embed limits. */
function withinBudget(embeds: RenderedView['embeds']): RenderedView['embeds'] {
  let left = EMBEDS_TOTAL_LIMIT;
  const out: RenderedView['embeds'] = [];
  for (const e of embeds) {
    const room = Math.min(DESCRIPTION_LIMIT, left - e.title.length);
    if (room < 2) break;
    const description = e.description.length <= room ? e.description : `${e.description.slice(0, room - 1)}…`;
    out.push({ ...e, description });
    left -= e.title.length + description.length;
  }
  return out;
}

function rowsOf(buttons: RenderedView['components'][number]['components']): RenderedView['components'] {
  const components: RenderedView['components'] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + BUTTONS_PER_ROW) });
  return components;
}
