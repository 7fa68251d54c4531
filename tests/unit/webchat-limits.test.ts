import { describe, expect, it } from 'vitest';
import { MessageLimiter, SlidingWindow } from '../../src/channels/webchat/limits.js';

describe('web chat limits', () => {
  it('allows N events per window and says when the next one is allowed', () => {
    const w = new SlidingWindow(3, 10_000);
    expect([0, 1000, 2000].map((t) => w.take('v', t).ok)).toEqual([true, true, true]);
    expect(w.take('v', 3000)).toEqual({ ok: false, retryInMs: 7000 });
    expect(w.take('other', 3000).ok).toBe(true);
    // The first hit leaves the window at 10 s.
    expect(w.take('v', 10_001).ok).toBe(true);
    expect(w.take('v', 10_002).ok).toBe(false);
  });

  const limiter = () => new MessageLimiter({ maxTextChars: 10, visitorMessages: 2, ipMessages: 3, ipConnections: 5, windowMs: 60_000 });

  it('refuses empty and too long texts, counting characters rather than UTF-16 units', () => {
    const l = limiter();
    expect(l.check('v1', 'ip', '   ', 0)).toEqual({ ok: false, code: 'empty' });
    expect(l.check('v1', 'ip', 'x'.repeat(11), 0)).toEqual({ ok: false, code: 'too_long' });
    expect(l.check('v1', 'ip', '😀'.repeat(10), 0)).toEqual({ ok: true });
  });

  it('limits each visitor, then each IP across visitors', () => {
    const l = limiter();
    expect(l.check('v1', 'ip', 'a', 0).ok).toBe(true);
    expect(l.check('v1', 'ip', 'b', 1).ok).toBe(true);
    expect(l.check('v1', 'ip', 'c', 2)).toMatchObject({ ok: false, code: 'rate_visitor' });
    expect(l.check('v2', 'ip', 'd', 3).ok).toBe(true);
    expect(l.check('v3', 'ip', 'e', 4)).toMatchObject({ ok: false, code: 'rate_ip' });
    expect(l.check('v3', 'other-ip', 'f', 5).ok).toBe(true);
    expect(l.check('v1', 'ip2', 'g', 60_001).ok).toBe(true);
  });
});
