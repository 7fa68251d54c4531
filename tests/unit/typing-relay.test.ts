import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/core/model.js';
import { TypingRelay } from '../../src/core/typing-relay.js';

const conv = (id: string, channel = 'webchat', status: Conversation['status'] = 'open'): Conversation =>
  ({ id, channel, account: 'default', customer: { id: `visitor-${id}` }, queue: 'default', status, createdAt: 0, lastCustomerAt: 0 });

/** Typing is ephemeral: one signal per conversation every 3 s, only to a channel that shows it, never for a closed conversation. */
describe('the typing relay', () => {
  it('passes typing to the conversation\'s channel at most once per 3 s per conversation', () => {
    let now = 10_000;
    const relay = new TypingRelay({ now: () => now, sleep: () => Promise.resolve() });
    const shown: string[] = [];
    relay.register('webchat', (c, name) => shown.push(`${c.customer.id}:${name}`));
    expect(relay.agentTyping(conv('a'), 'Ana')).toBe(true);
    now += 2_999;
    expect(relay.agentTyping(conv('a'), 'Ana')).toBe(false);
    expect(relay.agentTyping(conv('b'), 'Bo')).toBe(true);
    now += 1;
    expect(relay.agentTyping(conv('a'), 'Ana')).toBe(true);
    expect(shown).toEqual(['visitor-a:Ana', 'visitor-b:Bo', 'visitor-a:Ana']);
  });

  it('tells nobody for a channel that cannot show typing or a closed conversation', () => {
    const relay = new TypingRelay({ now: () => 0, sleep: () => Promise.resolve() });
    const shown: string[] = [];
    relay.register('webchat', (c) => shown.push(c.id));
    expect(relay.agentTyping(conv('w', 'whatsapp'), 'Ana')).toBe(false);
    expect(relay.agentTyping(conv('c', 'webchat', 'closed'), 'Ana')).toBe(false);
    expect(shown).toEqual([]);
  });
});
