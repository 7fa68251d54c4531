import { describe, expect, it } from 'vitest';
import { tag, tagWords } from '../../src/core/tag.js';
import { headerTags, FOLLOW_UP_MS } from '../../src/core/header-card.js';
import { keys } from '../../src/core/keys.js';
import { conversation, memoryChatPorts, seat } from './memory-desk-ports.js';

describe('tag words', () => {
  it('a plain word tags the customer, #word the conversation; folded, each once', () => {
    expect(tagWords(['VIP', '#Urgent', '＃退款', 'vip', '#', '  '])).toEqual({ customer: ['vip'], conversation: ['urgent', '退款'] });
  });
});

describe('the tag use case', () => {
  it('adds customer tags to the customer set and the record, conversation tags to the record, audits and refreshes the header', async () => {
    const m = memoryChatPorts();
    const conv = conversation('c1', { tags: ['new'] });
    const r = await tag(m.ports, conv, seat('alex'), { customer: ['vip'], conversation: ['urgent'] }, 'add');
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatchObject({ customer: { tags: ['vip'] }, tags: ['urgent'] });
    expect([...m.sets.get(keys.customerTags('api', 'crm', 'cust-c1'))!]).toEqual(['vip']);
    expect(m.audit).toEqual([expect.objectContaining({ actor: 'alex', action: 'chat.tag', target: 'c1' })]);
    expect(m.outbox.appended).toEqual([{ lane: 'h:c1', via: 'slack', payload: { op: 'thread.header', convId: 'c1' } }]);
  });

  it('removes what it names and keeps the rest', async () => {
    const m = memoryChatPorts();
    await m.ports.store.addMember(keys.customerTags('api', 'crm', 'cust-c1'), 'vip');
    const r = await tag(m.ports, conversation('c1'), seat('alex'), { customer: ['vip'], conversation: [] }, 'remove');
    expect(r.ok).toBe(true);
    expect([...m.sets.get(keys.customerTags('api', 'crm', 'cust-c1'))!]).toEqual([]);
    expect(m.audit.map((e) => e.action)).toEqual(['chat.untag']);
  });

  it('refuses no seat and a seat of another department, tagging nothing', async () => {
    const m = memoryChatPorts();
    const billing = conversation('c1', { queue: 'billing' });
    expect(await tag(m.ports, billing, undefined, { customer: ['vip'], conversation: [] }, 'add')).toEqual({ ok: false, failure: { code: 'not_a_seat' } });
    expect(await tag(m.ports, billing, seat('alex'), { customer: ['vip'], conversation: [] }, 'add')).toEqual({ ok: false, failure: { code: 'outside_department', detail: { department: 'finance' } } });
    expect(m.sets.size).toBe(0);
    expect(m.audit).toEqual([]);
  });
});

describe('the header tags', () => {
  const now = 10 * FOLLOW_UP_MS;
  it("shows the customer's tags, then the conversation's with #", () => {
    expect(headerTags(conversation('c1', { customer: { id: 'x', tags: ['vip'] }, tags: ['new', 'urgent'], lastCustomerAt: now, lastAgentAt: now }), now)).toEqual(['vip', '#new', '#urgent']);
  });

  it('adds #follow-up when the customer has waited over 48 h without an answer, and only then', () => {
    const waited = conversation('c1', { lastCustomerAt: now - FOLLOW_UP_MS - 1, lastAgentAt: now - FOLLOW_UP_MS - 10 });
    expect(headerTags(waited, now)).toEqual(['#follow-up']);
    expect(headerTags({ ...waited, lastAgentAt: now - 1 }, now)).toEqual([]);
    expect(headerTags({ ...waited, lastCustomerAt: now - FOLLOW_UP_MS + 1000 }, now)).toEqual([]);
    expect(headerTags({ ...waited, status: 'closed' }, now)).toEqual([]);
  });
});
