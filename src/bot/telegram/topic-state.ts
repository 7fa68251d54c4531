import { t } from '../../i18n/format.js';
import { queueLanguage } from '../../i18n/choose-language.js';
import { createHash } from 'node:crypto';
import type { Desk } from '../../core/desk.js';
import type { Conversation, TranscriptEntry } from '../../core/model.js';
import type { StatePort } from '../kit/state-port.js';
import { TELEGRAM_TEXT_LIMIT } from './render.js';

/**
 * Where a conversation's topic stands between two outbox attempts, kept in
 * the store so a restart or another replica picks up where this one stopped:
 * `gone` after Telegram said the topic no longer exists, `recreated` once a
 * new topic is open and its notice is still to be posted.
 */
export type TopicState = 'gone' | 'recreated';

const key = (convId: string) => `topic:${convId}`;
const TTL_MS = 30 * 24 * 3600_000;
/** How much history the notice in a recreated topic repeats. */
const RECAP_ENTRIES = 8;

export async function topicState(state: StatePort, convId: string): Promise<TopicState | undefined> {
  return (await state.getString(key(convId))) as TopicState | undefined;
}

export async function setTopicState(store: StatePort, convId: string, state: TopicState): Promise<void> {
  await store.setString(key(convId), state, TTL_MS);
}

export async function clearTopicState(state: StatePort, convId: string): Promise<void> {
  await state.deleteString(key(convId));
}

const headerKey = (convId: string) => `header:${convId}`;

/**
 * The header as last rendered into Telegram (a hash), so an unchanged header
 * is not edited again: Telegram refuses such an edit, and it would spend a
 * call of the chat's budget. In the store, because another replica may have
 * edited it since.
 */
export async function headerUnchanged(state: StatePort, convId: string, rendered: unknown): Promise<boolean> {
  return (await state.getString(headerKey(convId))) === hash(rendered);
}

export async function rememberHeader(state: StatePort, convId: string, rendered: unknown): Promise<void> {
  await state.setString(headerKey(convId), hash(rendered), TTL_MS);
}

function hash(rendered: unknown): string {
  return createHash('sha256').update(JSON.stringify(rendered)).digest('base64url').slice(0, 22);
}

/** What a recreated topic says first after its header (in the queue's language): what happened, and the latest history. */
export async function recreatedNotice(desk: Desk, conv: Conversation): Promise<string> {
  const lang = queueLanguage(desk.settings, conv.queue);
  const intro = t(lang, 'telegram.topic_recreated');
  const recent = (await desk.conversations.transcript(conv.id, -RECAP_ENTRIES, -1)).map((e) => transcriptLine(lang, e));
  while (recent.length && intro.length + recent.join('\n').length + 20 > TELEGRAM_TEXT_LIMIT) recent.shift();
  return recent.length ? t(lang, 'telegram.topic_recap', { intro, lines: recent.join('\n') }) : intro;
}

function transcriptLine(lang: string, e: TranscriptEntry): string {
  const text = e.text.length > 300 ? `${e.text.slice(0, 300)}…` : e.text;
  return t(lang, 'telegram.recap_line', { who: t(lang, `telegram.recap_${e.direction}`), text, files: e.attachments?.length ?? 0 });
}
