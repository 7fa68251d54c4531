import { describe, expect, it } from 'vitest';
import { buttonToUpdate } from '../../src/bot/slack/to-update.js';
import { renderView as telegramView } from '../../src/bot/telegram/render-view.js';
import { callbackToUpdate } from '../../src/bot/telegram/to-update.js';
import { renderView as slackView } from '../../src/bot/slack/render-view.js';
import type { PrivateView } from '../../src/core/overview/private-view.js';

const VIEW: PrivateView = {
  kind: 'templates', lang: 'en', convId: 'conv-1',
  templates: [{ name: 'order_update', language: 'en', params: 2 }, { name: 'welcome_back', language: 'zh_CN', params: 0 }],
};

describe('the closed window\'s template picker', () => {
  it('renders a Slack static select whose options carry the conversation, name and language', () => {
    const { blocks, text } = slackView(VIEW);
    const accessory = (blocks[0] as { accessory?: { type: string; action_id: string; options: { value: string; text: { text: string } }[] } }).accessory!;
    expect(accessory).toMatchObject({ type: 'static_select', action_id: 'td:template' });
    expect(accessory.options.map((o) => [o.text.text, o.value])).toEqual([
      ['order_update (en) · 2 values', 'conv-1 order_update en'], ['welcome_back (zh_CN) · no values', 'conv-1 welcome_back zh_CN'],
    ]);
    expect(text).toContain('`!template order_update en <1> <2>`');
  });

  it('reads a Slack select pick as the template action on its conversation, with the pick as its arguments', () => {
    const update = buttonToUpdate({ user: { id: 'U1' }, channel: { id: 'C1' }, team: { id: 'T1' } }, { action_id: 'td:template', selected_option: { value: 'conv-1 welcome_back zh_CN' } });
    expect(update).toMatchObject({ kind: 'action', name: 'template', convId: 'conv-1', args: 'welcome_back zh_CN' });
    expect(buttonToUpdate({ user: { id: 'U1' } }, { action_id: 'td:claim', value: 'conv-2' })).not.toHaveProperty('args');
    // A forged payload whose option value is no string is no pick.
    expect(buttonToUpdate({ user: { id: 'U1' } }, { action_id: 'td:template', selected_option: { value: 42 } } as unknown as Parameters<typeof buttonToUpdate>[1])).toBeUndefined();
  });

  it('shows each template with the line to type, and on Telegram a button per template that fits the 64 bytes of callback_data', () => {
    const long = { name: 'a_template_name_far_too_long_for_telegram_buttons', language: 'en', params: 0 };
    const view = telegramView({ ...VIEW, templates: [...(VIEW.kind === 'templates' ? VIEW.templates : []), long] });
    expect(view.text.split('\n').slice(1)).toEqual([
      '• order_update (en) · 2 values: `!template order_update en <1> <2>`', '• welcome_back (zh_CN) · no values: `!template welcome_back zh_CN`',
      `• ${long.name} (en) · no values: \`!template ${long.name} en\``,
    ]);
    expect(view.reply_markup?.inline_keyboard.map((row) => row.map((b) => ('callback_data' in b ? b.callback_data : '')))).toEqual([
      ['td:template:conv-1 order_update en'], ['td:template:conv-1 welcome_back zh_CN'],
    ]);
  });

  it('reads a Telegram picker button as the template action with the pick as its arguments, a header button as before', () => {
    const query = (data: string) => ({ id: 'q1', from: { id: 7, is_bot: false, first_name: 'Ana' }, chat_instance: 'x', data, message: { message_id: 5, date: 0, chat: { id: 7, type: 'private', first_name: 'Ana' } } });
    expect(callbackToUpdate(query('td:template:conv-1 welcome_back zh_CN') as never)).toMatchObject({ name: 'template', convId: 'conv-1', args: 'welcome_back zh_CN' });
    expect(callbackToUpdate(query('td:claim:conv-2') as never)).not.toHaveProperty('args');
  });
});
