import { describe, expect, it } from 'vitest';
import { withMentions } from '../../src/bot/telegram/mentions.js';

describe('Telegram mentions in a notice', () => {
  it('puts a bell per person in front, each a text_mention of that user at its UTF-16 offset', () => {
    const { text, entities } = withMentions('Assigned to Ann', ['1001', '1002']);
    expect(text).toBe('🔔 🔔 Assigned to Ann');
    expect(entities).toEqual([
      { type: 'text_mention', offset: 0, length: 2, user: { id: 1001, is_bot: false, first_name: '' } },
      { type: 'text_mention', offset: 3, length: 2, user: { id: 1002, is_bot: false, first_name: '' } },
    ]);
    for (const e of entities) expect(text.slice(e.offset, e.offset + e.length)).toBe('🔔');
  });
});
