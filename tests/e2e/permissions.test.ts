import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../src/core/desk.js';
import type { Conversation } from '../../src/core/model.js';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { makeConversation, makeSeat, runAs, unique } from '../support/seat-fixtures.js';

type Who = 'admin' | 'supervisor' | 'lead' | 'agent' | 'security' | 'disabled' | 'stranger';
const EVERYONE: Who[] = ['admin', 'supervisor', 'lead', 'agent', 'security', 'disabled', 'stranger'];

/** What a case needs before it runs, made fresh for every role so no case sees another's state. */
interface Setup { conv?: Conversation; mentions?: string[] }
interface Case {
  command: string;
  args?: string;
  /** Who may run it (SPEC §6's table); everyone else must be refused, and the refusal audited. */
  allowed: Who[];
  setup: (desk: Desk) => Promise<Setup>;
}

const holderOf = async (desk: Desk, conv: Conversation) => {
  const holder = await makeSeat(desk, `UHOLD${unique()}`, ['agent']);
  const r = await desk.claim(conv, holder);
  if (!r.ok) throw new Error('setup claim failed');
  return holder;
};
const newUser = () => `UNEW${unique().toUpperCase()}`;

const CASES: Case[] = [
  { command: 'claim', allowed: ['admin', 'supervisor', 'lead', 'agent'], setup: async (d) => ({ conv: await makeConversation(d) }) },
  { command: 'release', allowed: ['admin', 'supervisor'], setup: async (d) => { const conv = await makeConversation(d); await holderOf(d, conv); return { conv }; } },
  { command: 'close', allowed: ['admin', 'supervisor'], setup: async (d) => { const conv = await makeConversation(d); await holderOf(d, conv); return { conv }; } },
  { command: 'reopen', allowed: ['admin', 'supervisor', 'lead', 'agent'], setup: async (d) => { const conv = await makeConversation(d); const admin = (await d.seats.ofActor({ platform: 'slack', userId: 'U0AGENT' }))!; await d.close(conv, admin); return { conv }; } },
  { command: 'transfer', args: 'needs a hand', allowed: ['admin', 'supervisor'], setup: async (d) => { const conv = await makeConversation(d); await holderOf(d, conv); const to = await makeSeat(d, `UTO${unique().toUpperCase()}`, ['agent']); return { conv, mentions: [to.bindings[0]!.userId] }; } },
  { command: 'escalate', args: 'angry customer', allowed: ['admin', 'supervisor', 'lead', 'agent'], setup: async (d) => { const conv = await makeConversation(d); const to = await makeSeat(d, `UESC${unique().toUpperCase()}`, ['agent']); return { conv, mentions: [to.bindings[0]!.userId] }; } },
  { command: 'status', args: 'paused', allowed: ['admin', 'supervisor', 'lead', 'agent', 'security'], setup: async () => ({}) },
  { command: 'seat', args: 'add agent max=3', allowed: ['admin', 'supervisor'], setup: async () => ({ mentions: [newUser()] }) },
  { command: 'seat', args: 'list', allowed: ['admin', 'supervisor'], setup: async () => ({}) },
  { command: 'seat', args: `import\nuser,name,roles\nUIMP${unique().toUpperCase()},Imported,agent`, allowed: ['admin', 'supervisor'], setup: async () => ({}) },
  { command: 'seat', args: 'disable', allowed: ['admin'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['agent'])).bindings[0]!.userId] }) },
  { command: 'seat', args: 'remove', allowed: ['admin'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['agent'], { enabled: false })).bindings[0]!.userId] }) },
  { command: 'assign', args: 'role=supervisor', allowed: ['admin'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['agent'])).bindings[0]!.userId] }) },
  { command: 'assign', args: 'queue=default', allowed: ['admin', 'supervisor'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['agent'], { queues: [] })).bindings[0]!.userId] }) },
  { command: 'assign', args: 'role=agent', allowed: ['admin', 'supervisor'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['lead'])).bindings[0]!.userId] }) },
  { command: 'revoke', args: 'queue=default', allowed: ['admin', 'supervisor'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['agent'])).bindings[0]!.userId] }) },
  { command: 'revoke', args: 'role=lead', allowed: ['admin'], setup: async (d) => ({ mentions: [(await makeSeat(d, newUser(), ['lead'])).bindings[0]!.userId] }) },
  { command: 'audit', allowed: ['admin', 'security'], setup: async () => ({}) },
  { command: 'audit', args: 'verify', allowed: ['admin', 'security'], setup: async () => ({}) },
];

/**
 * Every command as every role, a disabled seat and a stranger who is no seat:
 * allowed or refused exactly as the permission table says, and every refusal
 * is in the audit log (issue acceptance).
 */
describe.each<StoreKind>(['embedded', 'redis'])('the permission table on the %s store', (store) => {
  let h: DeskHarness;
  const users: Record<Who, string> = { admin: 'U0AGENT', supervisor: 'U0SUPER', lead: 'U0LEAD', agent: 'U0AGNT', security: 'U0SEC', disabled: 'U0GONE', stranger: 'U0STRANGER' };
  beforeAll(async () => {
    h = await startDesk({ store, slack: { postRate: false, tierRate: false } });
    const d = h.app.desk;
    await makeSeat(d, users.supervisor, ['supervisor']);
    await makeSeat(d, users.lead, ['lead']);
    await makeSeat(d, users.agent, ['agent']);
    await makeSeat(d, users.security, ['security']);
    await makeSeat(d, users.disabled, ['agent'], { enabled: false });
  });
  afterAll(async () => { await h?.close(); });

  const rows = CASES.flatMap((c) => EVERYONE.map((who) => ({ ...c, who, label: `${c.command} ${(c.args ?? '').split('\n')[0]}`.trim() })));
  it.each(rows)('$label as $who', async ({ command, args, allowed, setup, who }) => {
    const d = h.app.desk;
    const prepared = await setup(d);
    const before = (await d.auditLog.list(1))[0]?.seq ?? 0;
    const { result, told } = await runAs(d, users[who], command, args ?? '', { ...(prepared.mentions ? { mentions: prepared.mentions } : {}), ...(prepared.conv ? { conv: prepared.conv } : {}) });
    const since = await d.auditLog.list(100, (e) => e.seq > before);
    const denial = since.find((e) => e.outcome === 'denied' && e.action === `command.${command}`);
    if (allowed.includes(who)) {
      expect(result.ok, `${who} should be allowed; told: ${told.join(' | ')}`).toBe(true);
      expect(denial).toBeUndefined();
    } else {
      expect(result.ok, `${who} should be refused`).toBe(false);
      expect(told.join('\n')).not.toBe('');
      expect(denial, `the refusal of ${who} is audited`).toBeDefined();
      const actor = who === 'stranger' ? `slack:${users.stranger}` : `slack-${users[who]}`;
      expect(denial!.actor).toBe(actor);
    }
  });
});
