import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { startDesk, SECRETS, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { makeSeat, runAs, unique } from '../support/seat-fixtures.js';
import { blockActions, postToBot } from '../fakes/slack/index.js';

const sign = (raw: string) => `sha256=${createHmac('sha256', SECRETS.apiSecret).update(raw).digest('hex')}`;

describe.each<StoreKind>(['embedded', 'redis'])('security alerts on the %s store', (store) => {
  let h: DeskHarness;
  const securityUsers = ['U0SECA', 'U0SECB'];
  const post = async (body: unknown, o: { raw?: string; signature?: string | null } = {}) => {
    const raw = o.raw ?? JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.signature !== null) headers['x-signature'] = o.signature ?? sign(raw);
    const res = await fetch(`${h.app.url}/api/security-events`, { method: 'POST', headers, body: raw });
    return { status: res.status, body: await res.text() };
  };
  const dmsTo = (user: string) => h.slack.dms.filter((m) => m.channel === `D${user.slice(1)}`);
  const login = (actor: string, type: 'login.failure' | 'login.success', minutesAgo: number, extra: Record<string, unknown> = {}) => ({
    id: `ev-${unique()}`, type, actor, at: new Date(h.clock.now() - minutesAgo * 60_000).toISOString(), ip: '203.0.113.9', ...extra,
  });

  beforeAll(async () => {
    const users = Object.fromEntries([...securityUsers, 'U0AGENT', 'U0PLAIN'].map((u) => [u, { name: u.toLowerCase(), real_name: u }]));
    h = await startDesk({ store, slack: { postRate: false, tierRate: false, users } });
    for (const u of securityUsers) await makeSeat(h.app.desk, u, ['security']);
  });
  afterAll(async () => { await h?.close(); });

  it('DMs every security seat when logins fail in a burst, stays quiet on the repeat, and records the Acknowledge', async () => {
    const actor = `ana-${unique()}@example.com`;
    for (let i = 0; i < 4; i++) expect((await post(login(actor, 'login.failure', 5 - i))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(securityUsers.flatMap(dmsTo).filter((m) => m.text.includes(actor))).toHaveLength(0);
    const fifth = await post(login(actor, 'login.failure', 0));
    expect(JSON.parse(fifth.body).alerts.length).toBeGreaterThan(0);
    for (const u of securityUsers) {
      const dm = await h.slack.waitFor(() => dmsTo(u).find((m) => m.text.includes(actor)), 5000);
      expect(dm.text).toMatch(/fail/i);
      expect(JSON.stringify(dm.blocks)).toContain('Acknowledge');
    }
    // The same rule and subject again, within the quiet period: counted, not sent.
    expect((await post(login(actor, 'login.failure', 0))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    for (const u of securityUsers) expect(dmsTo(u).filter((m) => m.text.includes(actor))).toHaveLength(1);

    const alert = (await h.app.alerts.open()).find((a) => a.subject.includes(actor))!;
    const dm = dmsTo(securityUsers[0]!).find((m) => m.text.includes(actor))!;
    const button = (dm.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.value).toBe(`alerts ack ${alert.id}`);
    const press = blockActions({ user: securityUsers[0]!, channel: dm.channel, message_ts: dm.ts, action_id: button.action_id, value: button.value });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, press)).status).toBe(200);
    await expect.poll(async () => (await h.app.alerts.get(alert.id))?.acknowledgedBy, { timeout: 5000 }).toBe(`slack-${securityUsers[0]}`);
    expect(await h.app.desk.auditLog.list(50, (e) => e.action === 'alert.ack' && e.target === alert.id)).toHaveLength(1);
    expect((await h.app.alerts.open()).some((a) => a.id === alert.id)).toBe(false);
  });

  it('refuses unsigned, wrongly signed, replayed, malformed and oversized events with no alert and no crash', async () => {
    const actor = `bad-${unique()}@example.com`;
    // Tuesday 10:00 UTC: inside the default working hours, so the event itself is no anomaly.
    const good = { ...login(actor, 'login.success', 0, { country: 'DE' }), at: '2026-11-17T10:00:00Z' };
    const raw = JSON.stringify(good);
    expect((await post(good, { signature: null })).status).toBe(401);
    expect((await post(good, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await post(null, { raw: '{"id": "x",', signature: sign('{"id": "x",') })).status).toBe(400);
    const invalid = await post({ ...good, type: 'login.maybe', country: 'Germany' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toContain('country');
    const huge = 'x'.repeat(1024 * 1024 + 10);
    expect((await post(null, { raw: huge, signature: sign(huge) })).status).toBe(413);
    expect((await post(good, { raw })).status).toBe(202);
    expect((await post(good, { raw })).status).toBe(200); // the same id again: processed once
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(securityUsers.flatMap(dmsTo).filter((m) => m.text.includes(actor))).toHaveLength(0);
  });

  it('escalates an alert nobody acknowledged to the admins', async () => {
    const actor = `late-${unique()}@example.com`;
    for (let i = 0; i < 5; i++) await post(login(actor, 'login.failure', 0));
    const alert = await (async () => { for (;;) { const a = (await h.app.alerts.open()).find((x) => x.subject.includes(actor)); if (a) return a; await new Promise((r) => setTimeout(r, 50)); } })();
    h.clock.advance(31 * 60_000);
    try {
      expect(await h.app.alerts.escalateOverdue()).toBeGreaterThanOrEqual(1);
    } finally { h.clock.advance(-31 * 60_000); }
    await h.slack.waitFor(() => dmsTo('U0AGENT').find((m) => m.text.includes(alert.id) && m.text.includes('Not acknowledged')), 5000);
  });

  it('refuses /export to an agent, audits it, and alerts on repeated refusals', async () => {
    const agent = await makeSeat(h.app.desk, `UEXP${unique().toUpperCase()}`, ['agent']);
    for (let i = 0; i < 3; i++) {
      const r = await runAs(h.app.desk, agent.bindings[0]!.userId, 'export');
      expect(r.result).toMatchObject({ ok: false, failure: { code: 'permission_denied' } });
    }
    const denials = await h.app.desk.auditLog.list(50, (e) => e.actor === agent.id && e.action === 'command.export' && e.outcome === 'denied');
    expect(denials).toHaveLength(3);
    for (const u of securityUsers) await h.slack.waitFor(() => dmsTo(u).find((m) => m.text.includes(agent.id)), 5000);
  });
});
