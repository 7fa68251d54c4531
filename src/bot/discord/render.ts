import { ButtonStyle, ComponentType } from 'discord.js';
import type { HeaderCard } from '../../core/header-card.js';
import type { OptionProblem } from './validate-options.js';
import { buttonLabel, closedLabel, customerLabel, repliesLeftLabel, statusLabel } from '../kit/status-label.js';
import { t } from '../../i18n/format.js';
import { en } from '../../i18n/en.js';

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
        { name: t(lang, 'header.window'), value: `${window}${repliesLeftLabel(card)}`, inline: true },
        ...(card.tags ? [{ name: t(lang, 'header.tags'), value: cut(card.tags.join(' '), 1024), inline: false }] : []),
        ...(closedLabel(card) ? [{ name: t(lang, 'header.hours'), value: closedLabel(card)!, inline: true }] : []),
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

/** What an agent reads when a command's options are wrong: what happened and what to type instead, in their language. */
export function describeOptionProblem(p: OptionProblem, lang?: string): string {
  switch (p.code) {
    case 'unknown_command': return t(lang, 'discord.unknown_command', { command: p.command });
    case 'missing_option': return t(lang, 'discord.missing_option', { command: p.command, option: p.option, example: p.example });
    case 'exactly_one_of': return t(lang, 'discord.exactly_one_of', { command: p.command, options: p.options.map((o) => `\`${o}\``).join(t(lang, 'discord.or')), example: p.example });
    case 'unknown_user': return t(lang, 'discord.unknown_user', { option: p.option, example: p.example });
    case 'bot_user': return t(lang, 'discord.bot_user', { option: p.option, example: p.example });
    case 'bad_file': return t(lang, 'discord.bad_file', { option: p.option, example: p.example });
    case 'bad_format': return t(lang, 'discord.bad_format', { option: p.option, hint: hintWords(lang, p.hint), given: p.given, example: p.example });
    case 'same_user': return t(lang, 'discord.same_user', { example: p.example });
    case 'out_of_range': return t(lang, 'discord.out_of_range', { option: p.option, min: p.min, max: p.max, given: p.given, example: p.example });
    case 'bad_choice': return t(lang, 'discord.bad_choice', { option: p.option, choices: p.choices.join(', '), given: p.given, example: p.example });
    case 'too_long': return t(lang, 'discord.too_long', { option: p.option, max: p.max, example: p.example });
  }
}

/** An option's form in the reader's language: hints are message keys (`hint.date`); other text is kept as written. */
function hintWords(lang: string | undefined, hint: string): string {
  return Object.hasOwn(en, hint) ? t(lang, hint as 'hint.date') : hint;
}

/** A fault while answering: the reference is in the log line too (STYLE §5). */
export function describeFault(ref: string, lang?: string): string {
  return t(lang, 'discord.fault', { ref });
}
