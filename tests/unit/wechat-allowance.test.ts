import { describe, expect, it } from 'vitest';
import { checkAllowance, WECHAT_ALLOWANCE } from '../../src/channels/wechat/allowance.js';
import { sendFailure } from '../../src/channels/wechat/handle-event.js';
import { toInbound } from '../../src/channels/wechat/to-inbound.js';

const H = 3600_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0);

describe('the WeChat reply allowance (5 messages per customer message within 48 h)', () => {
  it('is closed before any customer message', () => {
    expect(checkAllowance(undefined, T0).kind).toBe('window_closed');
  });

  it('counts down from 5 and is used up at the fifth send', () => {
    expect(checkAllowance({ since: T0, sent: 0 }, T0 + H)).toEqual({ kind: 'open', left: WECHAT_ALLOWANCE, closesAt: T0 + 48 * H });
    expect(checkAllowance({ since: T0, sent: 4 }, T0 + H)).toMatchObject({ kind: 'open', left: 1 });
    expect(checkAllowance({ since: T0, sent: 5 }, T0 + H)).toEqual({ kind: 'used_up', since: T0, closesAt: T0 + 48 * H });
  });

  it("closes 48 h after the customer message's send_time, not after it was pulled", () => {
    expect(checkAllowance({ since: T0, sent: 0 }, T0 + 48 * H - 1).kind).toBe('open');
    expect(checkAllowance({ since: T0, sent: 0 }, T0 + 48 * H)).toEqual({ kind: 'window_closed', closesAt: T0 + 48 * H });
  });

  it("turns msg_send_fail's fail_type into the failure the thread is told", () => {
    expect(sendFailure(4).code).toBe('window_closed');
    expect(sendFailure(6).code).toBe('reply_allowance_used');
    expect(sendFailure(5).code).toBe('session_ended');
    expect(sendFailure(10)).toEqual({ code: 'channel_error', detail: { channel: 'WeChat', reason: 'msg_send_fail 10: the customer refused messages' } });
  });
});

describe('WeChat items as thread messages', () => {
  const item = (msgtype: string, content: unknown) => ({ msgid: 'm1', send_time: T0 / 1000, origin: 3, msgtype, [msgtype]: content });

  it('keeps the send_time and the msgid (the dedupe key)', () => {
    const { message } = toInbound(item('text', { content: '你好' }), 'wkA', 'wmC');
    expect(message).toEqual({ channel: 'wechat', account: 'wkA', customer: { id: 'wmC' }, messageId: 'm1', sentAt: T0, text: '你好' });
  });

  it('gives media as attachments with their media_id, and links and locations as readable text', () => {
    expect(toInbound(item('voice', { media_id: 'MID' }), 'wkA', 'wmC').message.attachments).toEqual([{ kind: 'audio', mediaId: 'MID' }]);
    expect(toInbound(item('link', { title: 'Order 4411', desc: 'Your order', url: 'https://shop.example/4411' }), 'wkA', 'wmC').message.text)
      .toBe('🔗 Order 4411\nYour order\nhttps://shop.example/4411');
    expect(toInbound(item('location', { latitude: 31.2, longitude: 121.4, name: 'Bund', address: 'Road 1' }), 'wkA', 'wmC').message.text)
      .toContain('https://maps.google.com/?q=31.2,121.4');
  });

  it('names a kind it cannot show, with the problem for the log', () => {
    const r = toInbound(item('miniprogram', { title: 'x' }), 'wkA', 'wmC');
    expect(r.message.text).toBe('[miniprogram]');
    expect(r.problem).toContain('miniprogram');
  });
});
