import { describe, expect, it } from 'vitest';
import { isOptOut, withOptOut } from '../../src/core/templates/opt-out.js';
import type { Conversation } from '../../src/core/model.js';

const conv: Conversation = { id: 'c1', channel: 'whatsapp', account: '1', customer: { id: '4915' }, queue: 'default', status: 'open', createdAt: 0, lastCustomerAt: 0 };

describe('opting out of templates (STOP / 退订)', () => {
  it('takes STOP and 退订 exactly, in any case or width, with spaces around', () => {
    for (const word of ['STOP', 'stop', ' Stop ', 'ＳＴＯＰ', 'ｓｔｏｐ', '退订', ' 退订\n']) expect(isOptOut(word), word).toBe(true);
    for (const text of ['stop it', 'please stop', 'STOPP', '退订单', '不要退订', '', 'S T O P']) expect(isOptOut(text), text).toBe(false);
  });

  it('marks the conversation at the first STOP, keeps that moment on a second, and clears it when the customer writes anything else', () => {
    const out = withOptOut(conv, '退订', 100);
    expect(out.optedOutAt).toBe(100);
    expect(withOptOut(out, 'STOP', 200).optedOutAt).toBe(100);
    expect(withOptOut(out, 'where is my parcel?', 300)).not.toHaveProperty('optedOutAt');
    expect(withOptOut(conv, 'hello', 300)).toBe(conv);
  });
});
