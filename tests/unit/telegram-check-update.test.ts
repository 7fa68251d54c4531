import { describe, expect, it } from 'vitest';
import { checkTelegramUpdate } from '../../src/bot/telegram/check-update.js';

/** The Telegram webhook's shape check: malformed updates of handled kinds are refused, nulls read as absent. */
const message = { message_id: 7, date: 1_700_000_000, chat: { id: -1001234567890, type: 'supergroup', is_forum: true }, from: { id: 1001, is_bot: false, first_name: 'Alex' }, text: 'hello' };

describe('checkTelegramUpdate', () => {
  it('hands on a message, an edit and a button press, and acknowledges other kinds without handling them', () => {
    expect(checkTelegramUpdate({ update_id: 1, message })).toMatchObject({ kind: 'handle' });
    expect(checkTelegramUpdate({ update_id: 2, edited_message: { ...message, edit_date: 1_700_000_100 } })).toMatchObject({ kind: 'handle' });
    expect(checkTelegramUpdate({ update_id: 3, callback_query: { id: '42', from: message.from, data: 'td:claim:c1', message } })).toMatchObject({ kind: 'handle' });
    expect(checkTelegramUpdate({ update_id: 4, my_chat_member: null })).toEqual({ kind: 'ignore' });
  });

  it('removes null-valued fields from what it hands on, as real senders write absent fields as null', () => {
    const check = checkTelegramUpdate({ update_id: 5, message: { ...message, text: null, caption: null, from: { ...message.from, last_name: null } } });
    expect(check).toEqual({ kind: 'handle', update: { update_id: 5, message: { ...message, text: undefined, caption: undefined } } });
    if (check.kind === 'handle') expect(Object.keys(check.update.message as object)).not.toContain('text');
  });

  it.each([
    ['message: null', { message: null }],
    ['a message without chat', { message: { ...message, chat: undefined } }],
    ['chat: null', { message: { ...message, chat: null } }],
    ['a sender without an id', { message: { ...message, from: { is_bot: false, first_name: 'A' } } }],
    ['entities that are not a list', { message: { ...message, entities: { type: 'bot_command' } } }],
    ['text that is an object', { message: { ...message, text: {} } }],
    ['a button press without its sender', { callback_query: { id: '1', data: 'td:claim' } }],
  ])('refuses %s as malformed, naming the field', (_what, fields) => {
    const check = checkTelegramUpdate({ update_id: 9, ...fields });
    expect(check.kind).toBe('malformed');
    if (check.kind === 'malformed') expect(check.problems[0]).toMatch(/^(message|callback_query)/);
  });
});
