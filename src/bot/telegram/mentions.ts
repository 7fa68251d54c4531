import type { MessageEntity } from 'grammy/types';

/** `🔔 ` per person in front of `text`, each bell a text_mention of that user (offsets in UTF-16 units, as Telegram counts). */
export function withMentions(text: string, users: readonly string[]): { text: string; entities: MessageEntity[] } {
  const bell = '🔔';
  const entities = users.map((id, i): MessageEntity => ({ type: 'text_mention', offset: i * (bell.length + 1), length: bell.length, user: { id: Number(id), is_bot: false, first_name: '' } }));
  return { text: `${users.map(() => bell).join(' ')} ${text}`, entities };
}
