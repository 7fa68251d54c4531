import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeConversation, makeSeat, runAs, unique } from '../support/seat-fixtures.js';
import { keys } from '../../src/core/keys.js';
import type { Role, Seat } from '../../src/core/model.js';

const FINANCE_QUEUE = `queues:\n  - name: default\n    assignment: manual\n  - name: billing\n    department: finance\n    slack_channel: C0BILLING\n    assignment: manual\n`;

describe.each<StoreKind>(['embedded', 'redis'])('seats, departments, escalation and audit on the %s store', (store) => {
  let h: DeskHarness;
  /** A seat whose user also exists in the Slack workspace (so ephemerals and DMs reach them). */
  const seat = async (prefix: string, roles: Role[], o: Partial<Seat> = {}) => {
    const userId = `${prefix}${unique().toUpperCase()}`;
    (h.slack.config.users as Record<string, { name: string; real_name: string }>)[userId] = { name: userId.toLowerCase(), real_name: o.name ?? userId };
    return makeSeat(h.app.desk, userId, roles, o);
  };
  beforeAll(async () => {
    h = await startDesk({ store, yaml: FINANCE_QUEUE, slack: { channels: ['C0SUPPORT', 'C0BILLING'], postRate: false, tierRate: false } });
  });
  afterAll(async () => { await h?.close(); });

  it("keeps another department's chats out of reach, whatever command, button or message is used", async () => {
    const d = h.app.desk;
    const agentA = await seat('UA', ['agent']);
    const supervisorA = await seat('USA', ['supervisor']);
    const agentB = await seat('UB', ['agent'], { departments: ['finance'], queues: ['billing'] });
    const conv = await makeConversation(d, 'billing');
    // Its thread opens in the finance channel, not in the default one.
    const post = await h.slack.waitFor((s) => s.messages.find((m) => m.text === conv.customer.name!.replace('Customer', 'hello')), 5000);
    expect(post.channel).toBe('C0BILLING');
    const claim = await runAs(d, agentA.bindings[0]!.userId, 'claim', '', { conv });
    expect(claim.result).toMatchObject({ ok: false, failure: { code: 'outside_department' } });
    const button = await actions(h).pressButton(agentA.bindings[0]!.userId, post.thread_ts!, 'claim', conv.id);
    expect(button.status).toBe(200);
    expect(await d.conversations.claimer(conv.id)).toBeUndefined();
    // A supervisor of A can neither take it nor hand it to someone.
    const transfer = await runAs(d, supervisorA.bindings[0]!.userId, 'transfer', 'please', { conv, mentions: [agentA.bindings[0]!.userId] });
    expect(transfer.result.ok).toBe(false);
    // A thread reply from A stays internal.
    await actions(h).slackThreadMessage(agentA.bindings[0]!.userId, post.thread_ts!, 'I can answer that');
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === agentA.bindings[0]!.userId && e.text.includes('finance department')), 5000);
    expect(await d.conversations.claimer(conv.id)).toBeUndefined();
    // Nobody can transfer a default-queue chat into a seat that has no access to it.
    const own = await makeConversation(d);
    await d.claim(own, supervisorA);
    const into = await runAs(d, supervisorA.bindings[0]!.userId, 'transfer', '', { conv: own, mentions: [agentB.bindings[0]!.userId] });
    expect(into.result).toMatchObject({ ok: false, failure: { code: 'receiver_unavailable' } });
    // The finance agent can.
    expect((await runAs(d, agentB.bindings[0]!.userId, 'claim', '', { conv })).result.ok).toBe(true);
  });

  it('imports 500 good rows, and none of 500 when one row is bad (naming its line)', async () => {
    const d = h.app.desk;
    const prefix = unique().toUpperCase();
    const good = ['user,name,roles,queues,max', ...Array.from({ length: 500 }, (_, i) => `U${prefix}G${i},Agent ${i},agent,default,5`)].join('\n');
    const ok = await runAs(d, 'U0AGENT', 'seat', `import\n${good}`);
    expect(ok.result.ok, ok.told.join('\n')).toBe(true);
    expect(ok.told.at(-1)).toBe('Imported 500 seats.');
    expect(ok.told.some((t) => t.startsWith('Imported 100 of 500'))).toBe(true);
    expect(await d.seats.ofActor({ platform: 'slack', userId: `U${prefix}G499` })).toMatchObject({ name: 'Agent 499', maxChats: 5 });

    const rows = Array.from({ length: 500 }, (_, i) => `U${prefix}B${i},Agent ${i},${i === 317 ? 'boss' : 'agent'},default,5`);
    const bad = await runAs(d, 'U0AGENT', 'seat', `import\n${['user,name,roles,queues,max', ...rows].join('\n')}`);
    expect(bad.result).toMatchObject({ ok: false, failure: { code: 'import_invalid' } });
    expect(bad.told.join('\n')).toContain('line 319');
    expect(bad.told.join('\n')).toContain('"boss" is not a role');
    expect(await d.seats.ofActor({ platform: 'slack', userId: `U${prefix}B0` })).toBeUndefined();
    expect(await d.seats.ofActor({ platform: 'slack', userId: `U${prefix}B499` })).toBeUndefined();
  });

  it('reads a CSV with a BOM, CRLF line ends, quoted commas and Chinese names', async () => {
    const d = h.app.desk;
    const p = unique().toUpperCase();
    const csv = `\uFEFFuser,name,roles,queues\r\nU${p}A,"王, 小明",agent,default\r\nU${p}B,"李""阿里""",agent;lead,default\r\nU${p}C,张伟,agent,"default"\r\n`;
    const r = await runAs(d, 'U0AGENT', 'seat', `import\n${csv}`);
    expect(r.result.ok, r.told.join('\n')).toBe(true);
    expect((await d.seats.ofActor({ platform: 'slack', userId: `U${p}A` }))?.name).toBe('王, 小明');
    expect((await d.seats.ofActor({ platform: 'slack', userId: `U${p}B` }))).toMatchObject({ name: '李"阿里"', roles: ['agent', 'lead'] });
    expect((await d.seats.ofActor({ platform: 'slack', userId: `U${p}C` }))?.name).toBe('张伟');
  });

  it('sends nothing for an escalation to three people and tells the author; with two, both get a DM', async () => {
    const d = h.app.desk;
    const act = actions(h);
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((x) => seat(`UE${x}`, ['agent'])));
    await act.customerWrites('491708880000', 'I need a manager', { name: 'Eve' });
    const header = await act.headerFor('I need a manager');
    const ids = [a!, b!, c!].map((s) => s.bindings[0]!.userId);
    const dmsBefore = h.slack.dms.length;
    await act.slackThreadMessage('U0AGENT', header.ts, `!escalate <@${ids[0]}> <@${ids[1]}> <@${ids[2]}> she wants a refund today`);
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === 'U0AGENT' && e.text.includes('at most two')), 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.slack.dms.length).toBe(dmsBefore);

    await act.slackThreadMessage('U0AGENT', header.ts, `<@${ids[0]}> <@${ids[1]}> can one of you approve a refund?`);
    for (const id of ids.slice(0, 2)) {
      const dm = await h.slack.waitFor((s) => s.dms.find((m) => m.channel === `D${id.slice(1)}`), 5000);
      expect(dm.text).toContain('Eve');
      expect(dm.text).toContain('approve a refund');
      expect(dm.text).toContain(`/archives/C0SUPPORT/p${header.ts.replace('.', '')}`);
    }
    expect(h.slack.dms.some((m) => m.channel === `D${ids[2]!.slice(1)}`)).toBe(false);
    const conv = (await d.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
    expect(conv.escalations?.[0]).toMatchObject({ by: 'slack-U0AGENT', to: [a!.id, b!.id] });
  });

  it('offboards a seat holding open chats without orphaning any, and the headers show it', async () => {
    const d = h.app.desk;
    const act = actions(h);
    const leaving = await seat('ULEAVE', ['agent']);
    const heir = await seat('UHEIR', ['agent'], { name: 'Heir' });
    const convs = [];
    for (const n of [1, 2, 3]) {
      await act.customerWrites(`49170999000${n}`, `offboarding chat ${n}`);
      const header = await act.headerFor(`offboarding chat ${n}`);
      const conv = (await d.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
      expect((await d.claim(conv, leaving)).ok).toBe(true);
      convs.push({ conv, header });
    }
    // The heir can take two more chats only: the third goes back to the queue.
    await d.seats.update(heir.id, (s) => ({ ...s, maxChats: 2 }));
    const r = await runAs(d, 'U0AGENT', 'seat', 'disable', { mentions: [leaving.bindings[0]!.userId, heir.bindings[0]!.userId] });
    expect(r.result.ok, r.told.join('\n')).toBe(true);
    expect(r.told[0]).toMatch(/handed to Heir[\s\S]*handed to Heir[\s\S]*back in its queue[\s\S]*roles revoked: agent[\s\S]*seat disabled/);
    const holders = await Promise.all(convs.map(({ conv }) => d.conversations.claimer(conv.id)));
    expect(holders.filter((x) => x === heir.id)).toHaveLength(2);
    expect(holders.filter((x) => x === undefined)).toHaveLength(1);
    expect(await d.seats.chatsOf(leaving.id)).toEqual([]);
    expect((await d.seats.get(leaving.id))).toMatchObject({ enabled: false, roles: [] });
    for (const { conv, header } of convs) {
      const expected = (await d.conversations.claimer(conv.id)) ? 'Heir' : 'Waiting for an agent';
      await h.slack.waitFor((s) => JSON.stringify(s.message('C0SUPPORT', header.ts)?.blocks).includes(expected), 10_000);
    }
    // A disabled seat can no longer claim, reply or run commands; removal now works.
    expect((await runAs(d, leaving.bindings[0]!.userId, 'claim', '', { conv: convs[0]!.conv })).result).toMatchObject({ ok: false, failure: { code: 'seat_disabled' } });
    expect((await runAs(d, 'U0AGENT', 'seat', 'remove', { mentions: [leaving.bindings[0]!.userId] })).result.ok).toBe(true);
    expect(await d.seats.get(leaving.id)).toBeUndefined();
  });

  it('refuses to revoke or disable the last admin', async () => {
    const d = h.app.desk;
    const admins = (await d.seats.list()).filter((s) => s.enabled && s.roles.includes('admin'));
    expect(admins.map((s) => s.id)).toEqual(['slack-U0AGENT']);
    const revoke = await runAs(d, 'U0AGENT', 'revoke', 'role=admin', { mentions: ['U0AGENT'] });
    expect(revoke.result).toMatchObject({ ok: false, failure: { code: 'last_admin' } });
    const disable = await runAs(d, 'U0AGENT', 'seat', 'disable', { mentions: ['U0AGENT'] });
    expect(disable.result).toMatchObject({ ok: false, failure: { code: 'last_admin' } });
  });

  it('names the tampered entry when /audit verify walks the chain', async () => {
    const d = h.app.desk;
    await runAs(d, 'U0AGENT', 'status', 'online');
    const intact = await runAs(d, 'U0AGENT', 'audit', 'verify');
    expect(intact.told[0]).toContain('intact');
    const victim = (await d.auditLog.list(50)).at(-3)!;
    await h.app.store.setString(keys.auditEntry(victim.seq), JSON.stringify({ ...victim, actor: 'someone-else' }));
    const broken = await runAs(d, 'U0AGENT', 'audit', 'verify');
    expect(broken.told[0]).toContain(`broken at entry ${victim.seq} `);
  });
});

describe('grants across replicas sharing Redis', () => {
  let a: DeskHarness;
  let b: DeskHarness;
  beforeAll(async () => {
    a = await startDesk({ store: 'redis', slack: { postRate: false } });
    b = await startDesk({ store: 'redis', reuse: { slack: a.slack, graph: a.graph, callbacks: a.callbacks, prefix: a.prefix } });
  });
  afterAll(async () => { await b?.close({ keepFakes: true }); await a?.close(); });

  it('lets a seat granted on one replica use the grant on the other', async () => {
    const user = `UREP${unique().toUpperCase()}`;
    expect((await runAs(a.app.desk, 'U0AGENT', 'seat', 'add agent', { mentions: [user] })).result.ok).toBe(true);
    expect((await runAs(b.app.desk, user, 'seat', 'list')).result.ok).toBe(false);
    expect((await runAs(a.app.desk, 'U0AGENT', 'assign', 'role=supervisor', { mentions: [user] })).result.ok).toBe(true);
    const listed = await runAs(b.app.desk, user, 'seat', 'list');
    expect(listed.result.ok, listed.told.join('\n')).toBe(true);
  });
});
