import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeSeat, unique } from '../support/seat-fixtures.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';

/** SPEC §7 SLA timers, end to end on Slack: a 2 s first-response target and an escalation 3 s after the ping. */
const YAML = `queues:
  - name: default
    assignment: manual
    sla:
      first_response_seconds: 2
      escalate_after_seconds: 3
`;

/** Real time for the scheduler to look again (it polls every second; the test clock runs in real time plus what tests add). */
const settle = () => new Promise((r) => setTimeout(r, 1500));

describe.each<StoreKind>(['embedded', 'redis'])('SLA timers on Slack, %s store', (store) => {
  let h: DeskHarness;
  const supervisorUser = 'U0SUPERVISOR';
  const phone = () => `4917${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}`;

  beforeAll(async () => {
    h = await startDesk({ store, yaml: YAML, slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex Agent' }, [supervisorUser]: { name: 'sue', real_name: 'Sue Supervisor' } } } });
    await makeSeat(h.app.desk, supervisorUser, ['supervisor'], { name: 'Sue', departments: ['default'], queues: [] });
    // Online in the queue: an unclaimed conversation's ping mentions them.
    await makeSeat(h.app.desk, 'U0ONLINE', ['agent'], { name: 'Omar' });
  });
  afterAll(async () => {
    const prefix = h?.prefix;
    await h?.close();
    if (store === 'redis' && prefix) await deleteRedisKeys(prefix);
  });

  const threadOf = async (text: string) => (await actions(h).headerFor(text)).ts;
  const repliesIn = (ts: string) => h.slack.threadReplies('C0SUPPORT', ts).map((m) => m.text);
  const dmsAbout = (name: string) => h.slack.dms.filter((m) => m.text.includes(name)).map((m) => m.text);

  // "Not before" is shown on a frozen clock in tests/unit/sla-timers.test.ts: here the clock also runs in real time.
  it('pings the thread when nobody answers within first_response_seconds, then DMs the supervisor escalate_after_seconds later', async () => {
    const name = `Nia${unique()}`;
    await actions(h).customerWrites(phone(), 'Where is my parcel?', { name });
    const ts = await threadOf('Where is my parcel?');
    h.clock.advance(2500);
    await expect.poll(() => repliesIn(ts).join('\n'), { timeout: 5000 }).toContain('without an answer');
    expect(repliesIn(ts).find((t) => t.includes('without an answer'))).toMatch(/^<@U0ONLINE> ⏰ This customer has waited \d+ seconds without an answer/);
    expect(dmsAbout(name)).toEqual([]);
    // The breach is in the figures: the conversation counts as overdue, the day's breaches as one more.
    const today = new Date(h.clock.now()).toISOString().slice(0, 10);
    const figures = await h.app.desk.statsForRange(today, today);
    expect(figures.ok && figures.value[0]!.queues.find((q) => q.queue === 'default')).toMatchObject({ overdue: expect.any(Number) });
    expect(figures.ok && figures.value[0]!.total.overdue).toBeGreaterThanOrEqual(1);
    // And in /metrics: the breach, the conversation waiting unclaimed, the seat online, the posts' latency.
    const metric = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    const text = await h.app.metrics.render();
    expect(metric(text, 'sla_breaches_total{queue="default"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'conversations_waiting{queue="default"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'seats_online{queue="default"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'delivery_to_messenger_seconds_count{messenger="slack"}')).toBeGreaterThanOrEqual(1);
    h.clock.advance(3500);
    await expect.poll(() => dmsAbout(name), { timeout: 5000 }).toHaveLength(1);
    expect(dmsAbout(name)[0]).toContain('without an answer');
    // The DM carries a link to the thread on its second line.
    expect(dmsAbout(name)[0]).toMatch(/\n\S+/);
    // Fired once: more time brings no second ping or DM.
    h.clock.advance(10_000);
    await settle();
    expect(repliesIn(ts).filter((t) => t.includes('without an answer'))).toHaveLength(1);
    expect(dmsAbout(name)).toHaveLength(1);
  });

  it('gives an answered conversation neither the ping nor the DM', async () => {
    const name = `Ola${unique()}`;
    const from = phone();
    // The ping is due first_response_seconds (2 s) of the app's clock after the message, which a
    // stalled CI machine can spend before the reply is in: the clock stands still until then.
    h.clock.freeze();
    let ts: string;
    try {
      await actions(h).customerWrites(from, 'Can I change my address?', { name });
      ts = await threadOf('Can I change my address?');
      await actions(h).slackThreadMessage('U0AGENT', ts, 'Yes, send it over');
      await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Yes, send it over'), 5000);
    } finally {
      h.clock.resume();
    }
    h.clock.advance(10_000);
    await settle();
    expect(repliesIn(ts).join('\n')).not.toContain('without an answer');
    expect(dmsAbout(name)).toEqual([]);
  });

  it('DMs the supervisor at once for #urgent, and once only', async () => {
    const name = `Uma${unique()}`;
    const from = phone();
    await actions(h).customerWrites(from, 'My card was charged twice #urgent', { name });
    await expect.poll(() => dmsAbout(name), { timeout: 5000 }).toHaveLength(1);
    expect(dmsAbout(name)[0]).toContain('urgent');
    await actions(h).customerWrites(from, 'Still #urgent please', { name });
    await h.slack.waitFor((s) => s.messages.find((m) => m.text.includes('Still #urgent please')), 5000);
    await settle();
    expect(dmsAbout(name)).toHaveLength(1);
  });
});

// The scheduler's own tests cover the mechanism (tests/unit/timer-scheduler.test.ts); this is the one check through the app.
describe('SLA timers across two replicas sharing Redis', () => {
  let a: DeskHarness;
  let b: DeskHarness;
  beforeAll(async () => {
    a = await startDesk({ store: 'redis', yaml: YAML });
    b = await startDesk({ store: 'redis', yaml: YAML, reuse: { slack: a.slack, graph: a.graph, callbacks: a.callbacks, prefix: a.prefix } });
  });
  afterAll(async () => {
    const prefix = a?.prefix;
    await b?.close({ keepFakes: true });
    await a?.close();
    if (prefix) await deleteRedisKeys(prefix);
  });

  it('pings an unanswered conversation once, whichever replica fires it', async () => {
    await actions(a).customerWrites('4917222222222', 'Two replicas, one ping please');
    const ts = (await actions(a).headerFor('Two replicas, one ping please')).ts;
    a.clock.advance(2500);
    b.clock.advance(2500);
    await expect.poll(() => a.slack.threadReplies('C0SUPPORT', ts).filter((m) => m.text.includes('without an answer')).length, { timeout: 5000 }).toBe(1);
    await settle();
    await settle();
    expect(a.slack.threadReplies('C0SUPPORT', ts).filter((m) => m.text.includes('without an answer'))).toHaveLength(1);
  });
});
