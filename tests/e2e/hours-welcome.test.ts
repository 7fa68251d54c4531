import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';

/** Weekdays 09:00–18:00 in Shanghai; a Chinese queue for `你好` that keeps the default (Chinese) away reply. */
const YAML = `queues:
  - name: default
    assignment: manual
    hours: { time_zone: Asia/Shanghai, days: [1, 2, 3, 4, 5], open: "09:00", close: "18:00", holidays: ["2026-12-08"] }
    away_reply: "Thanks {customer_name}, we're closed; back {opens_at}."
    away_reply_interval_minutes: 240
    welcome:
      - between: "08:00-12:00"
        text: "Good morning {customer_name}, you've reached {queue}."
      - text: "Hi {customer_name}, an agent will be with you shortly."
  - name: cn
    language: zh-CN
    assignment: manual
    hours: { time_zone: Asia/Shanghai, open: "09:00", close: "18:00" }
routing:
  rules:
    - queue: cn
      keywords: ["你好"]
`;

/** Saturday 2026-12-05 20:00 UTC = Sunday 04:00 in Shanghai: closed until Monday 09:00 (01:00 UTC). */
const SATURDAY_NIGHT = Date.parse('2026-12-05T20:00:00Z');
/** Monday 2026-12-07 10:00 in Shanghai: open, in the morning welcome's slot. */
const MONDAY_MORNING = Date.parse('2026-12-07T02:00:00Z');

describe.each<StoreKind>(['embedded', 'redis'])('hours, away reply and welcome on the %s store', (store) => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store, yaml: YAML, slack: { postRate: false, tierRate: false } });
  });
  afterAll(async () => { await h?.close(); });

  const setClock = (at: number) => { h.clock.offset = at - Date.now(); };
  const sentTo = (waId: string) => h.graph.sent.filter((m) => m.waId === waId).map((m) => m.text);
  const settle = async () => {
    await expect.poll(() => h.app.desk.outbox.pendingCount(), { timeout: 10_000 }).toBe(0);
  };

  it('answers an off-hours customer once per interval with the opening time, says so in the thread, and shows "closed until" on the header', async () => {
    setClock(SATURDAY_NIGHT);
    const act = actions(h);
    for (const [i, text] of ['hello?', 'anyone there?', 'my parcel is late'].entries()) {
      h.clock.advance(i * 60_000);
      expect((await act.customerWrites('4915100000001', text, { name: 'Li' })).status).toBe(200);
    }
    await settle();
    expect(sentTo('4915100000001')).toEqual(["Thanks Li, we're closed; back 2026-12-07 09:00 Asia/Shanghai."]);
    // The agents see what the customer got, and the header says when the queue opens.
    const header = await act.headerFor('hello?');
    await h.slack.waitFor((s) => s.threadReplies(header.channel, header.ts).find((m) => m.text.includes("automatically (away reply): Thanks Li, we're closed")), 5000);
    expect(JSON.stringify(header.blocks)).toContain('closed until 2026-12-07 09:00 Asia/Shanghai');
    // Past the interval, still closed: one more.
    h.clock.advance(241 * 60_000);
    expect((await act.customerWrites('4915100000001', 'hello again')).status).toBe(200);
    await settle();
    expect(sentTo('4915100000001')).toHaveLength(2);
  });

  it('greets a first contact once, with the welcome of the slot that holds, and no away reply in hours', async () => {
    setClock(MONDAY_MORNING);
    const act = actions(h);
    expect((await act.customerWrites('4915100000002', 'good morning', { name: 'Sam' })).status).toBe(200);
    h.clock.advance(60_000);
    expect((await act.customerWrites('4915100000002', 'are you there?')).status).toBe(200);
    await settle();
    expect(sentTo('4915100000002')).toEqual(["Good morning Sam, you've reached default."]);
    // In the afternoon slot the catch-all welcome greets.
    setClock(MONDAY_MORNING + 4 * 3_600_000);
    expect((await act.customerWrites('4915100000003', 'hi', { name: 'Kim' })).status).toBe(200);
    await settle();
    expect(sentTo('4915100000003')).toEqual(['Hi Kim, an agent will be with you shortly.']);
  });

  it('answers the customer of a zh-CN queue in Chinese (the default away reply) and a holiday counts as closed', async () => {
    // Tuesday 2026-12-08 10:00 Shanghai: a holiday of the default queue, a working day of the cn queue.
    setClock(Date.parse('2026-12-08T02:00:00Z'));
    const act = actions(h);
    expect((await act.customerWrites('4915100000004', 'hello on a holiday', { name: 'Ana' })).status).toBe(200);
    await settle();
    expect(sentTo('4915100000004')).toEqual(["Thanks Ana, we're closed; back 2026-12-09 09:00 Asia/Shanghai."]);
    setClock(SATURDAY_NIGHT);
    expect((await act.customerWrites('4915100000005', '你好，在吗？', { name: '王芳' })).status).toBe(200);
    await settle();
    expect(sentTo('4915100000005')).toEqual(['王芳您好，感谢您的留言。我们现在不在服务时间，将于 2026年12月07日 09:00（Asia/Shanghai） 起回复您。']);
  });
});
