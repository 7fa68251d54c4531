import type { InlineKeyboardMarkup } from 'grammy/types';
import type { HeaderCard } from '../../core/header-card.js';
import { buttonLabel, closedLabel, customerLabel, repliesLeftLabel, statusLabel } from '../kit/status-label.js';
import { t } from '../../i18n/format.js';
import { formatTime } from '../../i18n/format-time.js';

/** sendMessage / editMessageText carry 1–4,096 characters of text (platform-facts.md §3). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** createForumTopic: `name` is 1–128 characters. */
const TOPIC_NAME_LIMIT = 128;
/** InlineKeyboardButton.callback_data is 1–64 bytes. */
export const CALLBACK_DATA_LIMIT = 64;

export type HeaderAction = HeaderCard['buttons'][number]['action'];

/**
 * The header card as the topic's first message: plain text (no parse mode, so
 * nothing a customer writes can break the markup) and one row of inline
 * buttons whose `callback_data` is `td:<action>:<conversation id>`.
 */
export function renderHeader(card: HeaderCard): { text: string; reply_markup: InlineKeyboardMarkup } {
  const { lang } = card;
  const status = statusLabel(card);
  // Telegram has no local-time markup: the time is written in UTC (seats carry no time zone yet).
  const window = card.windowClosesAt === undefined
    ? t(lang, 'header.window_none')
    : t(lang, card.windowOpen ? 'header.window_closes' : 'header.window_closed', { time: formatTime(lang, card.windowClosesAt) });
  const text = [
    status,
    `👤 ${customerLabel(card)} · ${card.channel}`,
    t(lang, 'header.line', { label: t(lang, 'header.queue'), value: card.queue }),
    t(lang, 'header.line', { label: t(lang, 'header.assignee'), value: card.assignee ?? '—' }),
    t(lang, 'header.line', { label: t(lang, 'header.window'), value: `${window}${repliesLeftLabel(card)}` }),
    ...(card.tags ? [t(lang, 'header.line', { label: t(lang, 'header.tags'), value: card.tags.join(' ') })] : []),
    ...(closedLabel(card) ? [t(lang, 'header.line', { label: t(lang, 'header.hours'), value: closedLabel(card)! })] : []),
    '',
    t(lang, 'header.hint_telegram'),
  ].join('\n');
  return {
    text,
    reply_markup: { inline_keyboard: [card.buttons.map((b) => ({ text: buttonLabel(card, b.action), callback_data: callbackData(b.action, card.convId) }))] },
  };
}

/** `td:<action>:<conversation id>`, refused if it would not fit Telegram's 64 bytes. */
export function callbackData(action: HeaderAction, convId: string): string {
  const data = `td:${action}:${convId}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new Error(`callback_data '${data}' is over ${CALLBACK_DATA_LIMIT} bytes`);
  return data;
}

/** The action and conversation of a header button, or undefined for data this bot never sent. */
export function parseCallbackData(data: string): { action: string; convId: string } | undefined {
  const m = /^td:([a-z]+):(.+)$/.exec(data);
  return m ? { action: m[1]!, convId: m[2]! } : undefined;
}

/**
 * Buttons that run a desk command for whoever presses them (an alert's
 * Acknowledge): `callback_data` is `tdcmd:<command line>`. Undefined when a
 * command would not fit Telegram's 64 bytes: then the text says what to type.
 */
export function renderCommandButtons(actions: readonly { id: string; label: string }[]): InlineKeyboardMarkup | undefined {
  const buttons = actions.map((a) => ({ text: a.label, callback_data: `${COMMAND_PREFIX}${a.id}` }));
  if (buttons.some((b) => Buffer.byteLength(b.callback_data) > CALLBACK_DATA_LIMIT)) return undefined;
  return { inline_keyboard: [buttons] };
}

/** The command line of a command button, or undefined for other data. */
export function parseCommandButton(data: string): { name: string; args: string } | undefined {
  if (!data.startsWith(COMMAND_PREFIX)) return undefined;
  const [name, ...rest] = data.slice(COMMAND_PREFIX.length).trim().split(/\s+/);
  return name ? { name: name.toLowerCase(), args: rest.join(' ') } : undefined;
}

const COMMAND_PREFIX = 'tdcmd:';

/** The forum topic's name: who and where from, like the header's first line. */
export function topicName(card: HeaderCard): string {
  const name = `${customerLabel(card)} · ${card.channel}`;
  return name.length <= TOPIC_NAME_LIMIT ? name : `${name.slice(0, TOPIC_NAME_LIMIT - 1)}…`;
}
