import { describe, expect, it } from 'vitest';
import { buttonToUpdate } from '../../src/bot/slack/to-update.js';
import { renderView as telegramView } from '../../src/bot/telegram/render-view.js';
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
  });

  it('shows messengers without a select each template with the line to type', () => {
    expect(telegramView(VIEW).text.split('\n').slice(1)).toEqual([
      '• order_update (en) · 2 values: `!template order_update en <1> <2>`', '• welcome_back (zh_CN) · no values: `!template welcome_back zh_CN`',
    ]);
  });
});
