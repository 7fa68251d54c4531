import { describe, expect, it } from 'vitest';
import { claim } from '../../src/core/claims/claim.js';
import { release } from '../../src/core/claims/release.js';
import { transfer } from '../../src/core/claims/transfer.js';
import { keys } from '../../src/core/keys.js';
import { seededRandom } from './memory-atomic.js';
import { conversation, memoryChatPorts, seat } from './memory-desk-ports.js';

describe('the claim use cases on in-memory ports', () => {
  it('GIVEN 20 seats claiming one conversation at once THEN exactly one wins and the others are told who holds it', async () => {
    const m = memoryChatPorts({ jitterMs: 5, random: seededRandom(7) });
    const seats = Array.from({ length: 20 }, (_, i) => seat(`s${i}`));
    for (const s of seats) m.seats.set(s.id, s);
    const conv = conversation('c1');
    const results = await Promise.all(seats.map((s) => claim(m.ports, conv, s)));
    const winners = results.flatMap((r, i) => (r.ok ? [seats[i]!.id] : []));
    expect(winners).toHaveLength(1);
    const holder = await m.atomic.getString(keys.claim('c1'));
    expect(holder).toBe(winners[0]);
    for (const r of results.filter((r) => !r.ok)) expect(r).toEqual({ ok: false, failure: { code: 'already_claimed', detail: { holder } } });
    expect(m.audit.filter((e) => e.action === 'chat.claim')).toEqual([{ actor: holder, action: 'chat.claim', target: 'c1', before: undefined, after: holder, outcome: 'ok' }]);
    expect([...m.sets.get(keys.seatChats(holder!))!]).toEqual(['c1']);
    expect(m.outbox.appended).toEqual([{ lane: 'h:c1', via: 'slack', payload: { op: 'thread.header', convId: 'c1' } }]);
  });

  it('GIVEN a claim THEN claiming again says it is already yours and changes nothing', async () => {
    const m = memoryChatPorts();
    const alex = seat('alex');
    await claim(m.ports, conversation('c1'), alex);
    expect(await claim(m.ports, conversation('c1'), alex)).toEqual({ ok: false, failure: { code: 'already_yours' } });
    expect(m.audit).toHaveLength(1);
  });

  it('refuses no seat, a disabled seat, a seat without the permission and a seat of another department, in that order', async () => {
    const m = memoryChatPorts();
    const conv = conversation('c1', { queue: 'billing' });
    expect(await claim(m.ports, conv, undefined)).toEqual({ ok: false, failure: { code: 'not_a_seat' } });
    expect(await claim(m.ports, conv, seat('off', { enabled: false }))).toEqual({ ok: false, failure: { code: 'seat_disabled' } });
    expect(await claim(m.ports, conv, seat('sec', { roles: ['security'] }))).toEqual({ ok: false, failure: { code: 'permission_denied', detail: { action: 'claim' } } });
    expect(await claim(m.ports, conv, seat('alex'))).toEqual({ ok: false, failure: { code: 'outside_department', detail: { department: 'finance' } } });
    expect(await claim(m.ports, conversation('c2', { status: 'closed' }), seat('alex'))).toEqual({ ok: false, failure: { code: 'conversation_closed' } });
    expect(m.audit).toEqual([]);
    expect(m.outbox.appended).toEqual([]);
  });

  it('GIVEN a claim THEN only the claimer or a supervisor releases it, and the lease and the held-chat entry go', async () => {
    const m = memoryChatPorts();
    const alex = seat('alex');
    m.seats.set('alex', alex);
    const conv = conversation('c1');
    await claim(m.ports, conv, alex);
    expect(await release(m.ports, conv, seat('sam'))).toEqual({ ok: false, failure: { code: 'not_claimer', detail: { holder: 'alex' } } });
    expect(await release(m.ports, conv, seat('boss', { roles: ['supervisor'] }))).toEqual({ ok: true, value: { previous: 'alex' } });
    expect(await m.atomic.getString(keys.claim('c1'))).toBeUndefined();
    expect([...m.sets.get(keys.seatChats('alex'))!]).toEqual([]);
    expect(await release(m.ports, conv, alex)).toEqual({ ok: false, failure: { code: 'not_claimed' } });
  });

  it('GIVEN the claimer handing one chat to two colleagues at once THEN exactly one of them gets it', async () => {
    for (let run = 0; run < 20; run += 1) {
      const m = memoryChatPorts({ jitterMs: 3, random: seededRandom(run) });
      const alex = seat('alex');
      const conv = conversation('c1');
      await claim(m.ports, conv, alex);
      const [toSam, toKim] = await Promise.all([transfer(m.ports, conv, alex, seat('sam'), 'cover'), transfer(m.ports, conv, alex, seat('kim'), 'cover')]);
      expect([toSam.ok, toKim.ok].filter(Boolean)).toHaveLength(1);
      expect(await m.atomic.getString(keys.claim('c1'))).toBe(toSam.ok ? 'sam' : 'kim');
      expect(m.audit.filter((e) => e.action === 'chat.transfer')).toHaveLength(1);
    }
  });

  it('refuses a receiver who is disabled, full, or without access to the queue, saying why', async () => {
    const m = memoryChatPorts();
    const boss = seat('boss', { roles: ['supervisor'] });
    const conv = conversation('c1');
    const full = seat('full', { maxChats: 1 });
    await m.ports.store.addMember(keys.seatChats('full'), 'other');
    await m.atomic.setIfAbsent(keys.claim('other'), 'full');
    expect(await transfer(m.ports, conv, boss, seat('off', { enabled: false }), '')).toEqual({ ok: false, failure: { code: 'receiver_unavailable', detail: { seat: 'off', why: 'their seat is disabled' } } });
    expect(await transfer(m.ports, conv, boss, full, '')).toEqual({ ok: false, failure: { code: 'receiver_unavailable', detail: { seat: 'full', why: 'they already hold 1 chats, their maximum' } } });
    expect(await transfer(m.ports, conv, boss, seat('fin', { departments: ['finance'] }), '')).toEqual({ ok: false, failure: { code: 'receiver_unavailable', detail: { seat: 'fin', why: 'they have no access to the default queue' } } });
    expect(await transfer(m.ports, conv, boss, undefined, '')).toEqual({ ok: false, failure: { code: 'unknown_seat' } });
  });
});

describe('a seat\'s max holds on every claim', () => {
  it('refuses a claim at the max, says so, and lets a supervisor go beyond it with force (audited as such)', async () => {
    const m = memoryChatPorts();
    const alex = seat('alex', { maxChats: 1 });
    expect((await claim(m.ports, conversation('c1'), alex)).ok).toBe(true);
    expect(await claim(m.ports, conversation('c2'), alex)).toEqual({ ok: false, failure: { code: 'seat_full', detail: { max: 1, held: 1 } } });
    expect(await m.atomic.getString(keys.claim('c2'))).toBeUndefined();
    expect(await claim(m.ports, conversation('c2'), alex, { force: true })).toEqual({ ok: false, failure: { code: 'permission_denied', detail: { action: 'claim beyond your maximum' } } });
    const boss = seat('boss', { roles: ['supervisor'], maxChats: 1 });
    expect((await claim(m.ports, conversation('c3'), boss)).ok).toBe(true);
    expect((await claim(m.ports, conversation('c4'), boss, { force: true })).ok).toBe(true);
    expect(m.audit.filter((e) => e.action === 'chat.claim').map((e) => [e.actor, e.target, e.detail])).toEqual([['alex', 'c1', undefined], ['boss', 'c3', undefined], ['boss', 'c4', 'force']]);
  });

  it('GIVEN 10 conversations claimed at once by one seat with max 3 THEN exactly 3 are its', async () => {
    const m = memoryChatPorts({ jitterMs: 5, random: seededRandom(3) });
    const alex = seat('alex', { maxChats: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(m.ports, conversation(`c${i}`), alex)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(m.sets.get(keys.seatChats('alex'))!.size).toBe(3);
  });

  it('counts only chats whose claim lease names the seat: a stale entry (a crash between two writes) is pruned, not held against it', async () => {
    const m = memoryChatPorts();
    const alex = seat('alex', { maxChats: 1 });
    await m.ports.store.addMember(keys.seatChats('alex'), 'ghost');
    expect((await claim(m.ports, conversation('c1'), alex)).ok).toBe(true);
    expect([...m.sets.get(keys.seatChats('alex'))!]).toEqual(['c1']);
  });
});
