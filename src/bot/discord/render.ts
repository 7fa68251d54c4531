import { ButtonStyle, ComponentType } from 'discord.js';
import type { HeaderCard } from '../../core/header-card.js';
import type { OptionProblem } from './validate-options.js';
import { buttonLabel, customerLabel, statusLabel } from '../kit/status-label.js';
import { t } from '../../i18n/format.js';

/** `content` of a message is at most 2,000 characters (platform-facts.md §5). */
export const DISCORD_TEXT_LIMIT = 2000;

/** Nothing the bot posts may ping anyone: customer text can contain `@everyone` or `<@&role>`. */
export const NO_MENTIONS = { parse: [] as never[] };

const STYLES = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;
const COLORS = { unclaimed: 0xf1c40f, claimed: 0x2ecc71, closed: 0x95a5a6 } as const;

/**
 * The header card as a message: an embed with the conversation's facts and
 * one action row of buttons whose `custom_id` is `td:<action>:<convId>`
 * (1–100 characters, unique per message). Status lives in the message,
 * which is edited; the thread is never renamed (2 renames per 10 minutes).
 */
export function renderHeader(card: HeaderCard) {
  const { lang } = card;
  const status = statusLabel(card);
  const customer = customerLabel(card);
  // Discord renders `<t:…:R>` relative and in each reader's own time zone.
  const when = card.windowClosesAt === undefined ? '' : `<t:${Math.floor(card.windowClosesAt / 1000)}:R>`;
  const window = card.windowClosesAt === undefined
    ? t(lang, 'header.window_none')
    : card.windowOpen ? t(lang, 'header.window_closes', { time: when }) : `**${t(lang, 'header.window_closed', { time: when })}**`;
  return {
    content: '',
    embeds: [{
      title: cut(`${customer} · ${card.channel}`, 256),
      description: status,
      color: COLORS[card.status],
      fields: [
        { name: t(lang, 'header.customer'), value: cut(customer, 1024), inline: true },
        { name: t(lang, 'header.channel'), value: cut(card.channel, 1024), inline: true },
        { name: t(lang, 'header.queue'), value: cut(card.queue, 1024), inline: true },
        { name: t(lang, 'header.status'), value: status, inline: true },
        { name: t(lang, 'header.assignee'), value: card.assignee ? cut(card.assignee, 1024) : '—', inline: true },
        { name: t(lang, 'header.window'), value: window, inline: true },
      ],
      footer: { text: t(lang, 'header.hint_discord') },
    }],
    components: [{
      type: ComponentType.ActionRow,
      components: card.buttons.map((b) => ({
        type: ComponentType.Button,
        custom_id: customId(b.action, card.convId),
        label: buttonLabel(card, b.action),
        style: b.style ? STYLES[b.style] : ButtonStyle.Secondary,
      })),
    }],
    allowed_mentions: NO_MENTIONS,
  };
}

/** `td:<action>:<convId>`; Discord refuses a custom_id over 100 characters. */
export function customId(action: string, convId: string): string {
  const id = `td:${action}:${convId}`;
  if (id.length > 100) throw new Error(`custom_id over 100 characters for conversation ${convId}`);
  return id;
}

/** The thread's name, set once (1–100 characters). */
export function threadName(card: HeaderCard): string {
  return cut(`${customerLabel(card)} · ${card.channel}`, 100);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What an agent reads when a command's options are wrong: what happened and what to type instead. */
export function describeOptionProblem(p: OptionProblem): string {
  switch (p.code) {
    case 'unknown_command':
      return `\`/${p.command}\` is not a command of this desk. Type \`/\` and pick one of threaddesk's commands, or \`!claim\` in a conversation's thread.`;
    case 'missing_option':
      return `\`/${p.command}\` needs \`${p.option}\`. Type \`${p.example}\`.`;
    case 'exactly_one_of':
      return `\`/${p.command}\` needs exactly one of ${p.options.map((o) => `\`${o}\``).join(' or ')}. Type \`${p.example}\`.`;
    case 'unknown_user':
      return `I cannot find the person you gave for \`${p.option}\` in this server. Type \`${p.example}\` and pick the person from the list Discord shows.`;
    case 'bot_user':
      return `\`${p.option}\` must be a person, not a bot. Type \`${p.example}\` and pick a colleague.`;
    case 'bad_file':
      return `I cannot read the file you attached for \`${p.option}\`. Attach it again: \`${p.example}\`.`;
    case 'bad_format':
      return `\`${p.option}\` must be ${p.hint} (you gave "${p.given}"). Type \`${p.example}\`.`;
    case 'same_user':
      return `You named the same person twice. Type \`${p.example}\` with two different people.`;
    case 'out_of_range':
      return `\`${p.option}\` must be a whole number from ${p.min} to ${p.max} (you gave ${p.given}). Type \`${p.example}\`.`;
    case 'bad_choice':
      return `\`${p.option}\` must be one of ${p.choices.join(', ')} (you gave "${p.given}"). Type \`${p.example}\`.`;
    case 'too_long':
      return `\`${p.option}\` can be at most ${p.max} characters. Shorten it and type \`${p.example}\` again.`;
  }
}

/** A fault while answering: the reference is in the log line too (STYLE §5). */
export function describeFault(ref: string): string {
  return `⚠️ Something went wrong on the desk's side, so nothing was done (reference ${ref}). Try again in a moment; if it keeps failing, tell whoever runs the bot and quote ${ref}.`;
}
