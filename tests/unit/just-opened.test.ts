import { describe, expect, it } from 'vitest';
import { JustOpened } from '../../src/bot/kit/just-opened.js';
import type { Conversation } from '../../src/core/model.js';

const conv = (id: string, thread: string): Conversation => ({
  id, channel: 'whatsapp', account: 'A', customer: { id: `c-${id}` }, queue: 'default', status: 'open',
  createdAt: 0, lastCustomerAt: 0, thread: { platform: 'slack', workspace: 'T1', channel: 'C1', thread, header: thread },
}) as Conversation;

describe('JustOpened', () => {
  it('hands the saved record to the next attempt once, then leaves reads to the store', () => {
    let now = 1000;
    const opened = new JustOpened({ now: () => now });
    opened.remember(conv('a', '1.0001'));
    now += 999;
    expect(opened.take('a')?.thread?.thread).toBe('1.0001');
    expect(opened.take('a')).toBeUndefined();
    expect(opened.take('b')).toBeUndefined();
  });

  it('does not stand in for a read once it is more than a second old, and keeps only the latest save', () => {
    let now = 0;
    const opened = new JustOpened({ now: () => now });
    opened.remember(conv('a', '1.0001'));
    now = 1001;
    expect(opened.take('a')).toBeUndefined();
    opened.remember(conv('a', '1.0002'));
    opened.remember(conv('a', '1.0003'));
    expect(opened.take('a')?.thread?.thread).toBe('1.0003');
  });

  it('forgets the oldest records past a thousand (threads opened whose next post went elsewhere)', () => {
    const opened = new JustOpened({ now: () => 0 });
    for (let i = 0; i < 1001; i++) opened.remember(conv(`c${i}`, `${i}.0`));
    expect(opened.take('c0')).toBeUndefined();
    expect(opened.take('c1')?.id).toBe('c1');
    expect(opened.take('c1000')?.id).toBe('c1000');
  });
});
