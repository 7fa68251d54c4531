import { describe, expect, it } from 'vitest';
import { replyWindow as windowOf } from '../../src/core/reply-window.js';
import { headerCard as cardOf } from '../../src/core/header-card.js';
import { buttonLabel, customerLabel, repliesLeftLabel } from '../../src/bot/kit/status-label.js';
import { whatsappChannel } from '../../src/channels/whatsapp/module.js';
import { CHANNEL_TRAITS } from '../support/modules.js';
import type { Conversation } from '../../src/core/model.js';

const HOUR = 3600_000;
/** The core's functions with the shipped channels' traits, as the app wires them. */
const replyWindow = (conv: Conversation, now: number) => windowOf(conv, now, CHANNEL_TRAITS);
const headerCard = (conv: Conversation, assignee: string | undefined, now: number) => cardOf(conv, assignee, now, CHANNEL_TRAITS);
const LAST = Date.UTC(2026, 0, 15, 9, 30);

const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  id: 'conv-1',
  channel: 'whatsapp',
  account: '106540352242922',
  customer: { id: '491701234567', name: 'Ana' },
  queue: 'default',
  status: 'open',
  createdAt: LAST - HOUR,
  lastCustomerAt: LAST,
  ...over,
});

describe('replyWindow', () => {
  it('gives WhatsApp a 24-hour window from the customer\'s last message', () => {
    expect(whatsappChannel.replyWindowMs).toBe(24 * HOUR);
    expect(replyWindow(conversation(), LAST)).toEqual({ open: true, closesAt: LAST + 24 * HOUR });
  });

  it('is open one millisecond before 24 hours and closed at exactly 24 hours', () => {
    expect(replyWindow(conversation(), LAST + 24 * HOUR - 1).open).toBe(true);
    expect(replyWindow(conversation(), LAST + 24 * HOUR)).toEqual({ open: false, closesAt: LAST + 24 * HOUR });
    expect(replyWindow(conversation(), LAST + 30 * 24 * HOUR).open).toBe(false);
  });

  it('opens again from a newer customer message', () => {
    const later = LAST + 25 * HOUR;
    expect(replyWindow(conversation(), later).open).toBe(false);
    expect(replyWindow(conversation({ lastCustomerAt: later - 1000 }), later)).toEqual({ open: true, closesAt: later - 1000 + 24 * HOUR });
  });

  it('counts a clock slightly behind the customer\'s timestamp as inside the window', () => {
    expect(replyWindow(conversation(), LAST - 5000).open).toBe(true);
  });

  it('has no window on the generic API', () => {
    expect(replyWindow(conversation({ channel: 'api', account: 'crm' }), LAST + 365 * 24 * HOUR)).toEqual({ open: true });
  });
});

describe('headerCard', () => {
  it('shows an unclaimed conversation with Claim and Close and the window countdown', () => {
    const card = headerCard(conversation(), undefined, LAST + HOUR);
    expect(card).toEqual({
      convId: 'conv-1', customerName: 'Ana', channel: 'WhatsApp', queue: 'default', status: 'unclaimed',
      windowClosesAt: LAST + 24 * HOUR, windowOpen: true,
      buttons: [{ action: 'claim', style: 'primary' }, { action: 'close', style: 'danger' }],
      lang: 'en',
    });
    // The words are made where the card is rendered, in the card's language.
    expect(card.buttons.map((b) => buttonLabel(card, b.action))).toEqual(['Claim', 'Close']);
    expect(card.buttons.map((b) => buttonLabel({ lang: 'zh-CN' }, b.action))).toEqual(['认领', '关闭']);
  });

  it('shows the assignee with Release and Close once claimed', () => {
    const card = headerCard(conversation({ assignee: 'seat-1' }), 'Alex', LAST);
    expect(card.status).toBe('claimed');
    expect(card.assignee).toBe('Alex');
    expect(card.buttons.map((b) => b.action)).toEqual(['release', 'close']);
  });

  it('offers only Reopen on a closed conversation, even if someone held it', () => {
    const card = headerCard(conversation({ status: 'closed', closedAt: LAST + 10 }), 'Alex', LAST + 20);
    expect(card.status).toBe('closed');
    expect(card.buttons).toEqual([{ action: 'reopen' }]);
    expect(buttonLabel(card, 'reopen')).toBe('Reopen');
  });

  it('marks the window closed after 24 hours', () => {
    expect(headerCard(conversation(), undefined, LAST + 24 * HOUR).windowOpen).toBe(false);
  });

  it('names an API conversation by its source, with no window, and a nameless customer as Customer', () => {
    const card = headerCard(conversation({ channel: 'api', account: 'crm', customer: { id: 'c-1' } }), undefined, LAST);
    expect(card.channel).toBe('API (crm)');
    expect(card.customerName).toBeUndefined();
    expect(customerLabel(card)).toBe('Customer');
    expect(customerLabel({ ...card, lang: 'zh-CN' })).toBe('客户');
    expect(card.windowOpen).toBe(true);
    expect('windowClosesAt' in card).toBe(false);
  });

  it("shows a WeChat conversation's replies left and the end of its 48 h from the customer's send_time", () => {
    const sentAt = LAST - 2 * HOUR;
    const conv = conversation({ channel: 'wechat', account: 'wkShop', customer: { id: 'wmAna' }, replyAllowance: { left: 3, closesAt: sentAt + 48 * HOUR } });
    const card = headerCard(conv, undefined, LAST);
    expect(card.channel).toBe('WeChat');
    expect(card.windowClosesAt).toBe(sentAt + 48 * HOUR);
    expect(card.repliesLeft).toBe(3);
    expect(repliesLeftLabel(card)).toBe(' · 3 replies left');
    expect(repliesLeftLabel({ ...card, lang: 'zh-CN' })).toBe(' · 还可回复 3 条');
    const closed = headerCard(conv, undefined, sentAt + 48 * HOUR);
    expect(closed.windowOpen).toBe(false);
    expect(closed.repliesLeft).toBeUndefined();
  });

  it('never puts the customer\'s phone number on the card', () => {
    const card = headerCard(conversation({ customer: { id: '491701234567' } }), undefined, LAST);
    expect(JSON.stringify(card)).not.toContain('491701234567');
  });
});
