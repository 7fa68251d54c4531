import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, SECRETS, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeSeat, unique } from '../support/seat-fixtures.js';
import { messageEvent, nextMessageTs, postToBot, viewSubmission } from '../fakes/slack/index.js';

/** Slack's header pickers (Transfer…, Escalate…) and a CSV shared with `!seat import`. */
describe('Slack person pickers and file import', () => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  const person = async (prefix: string) => {
    const userId = `${prefix}${unique().toUpperCase()}`;
    (h.slack.config.users as Record<string, { name: string; real_name: string }>)[userId] = { name: userId.toLowerCase(), real_name: userId };
    return makeSeat(h.app.desk, userId, ['agent'], { name: `Agent ${prefix}` });
  };
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false, tierRate: false } });
    act = actions(h);
  });
  afterAll(async () => { await h?.close(); });

  const openPicker = async (kind: 'transfer' | 'escalate', headerTs: string, convId: string) => {
    const before = h.slack.views.length;
    expect((await act.pressButton('U0AGENT', headerTs, `pick-${kind}`, convId)).status).toBe(200);
    return h.slack.waitFor((s) => s.views.length > before && s.views.at(-1), 5000);
  };

  it('transfers through the Transfer… picker: the receiver holds it, is told by DM, and the thread says so', async () => {
    await act.customerWrites('491701110000', 'Picker transfer', { name: 'Pia' });
    const header = await act.headerFor('Picker transfer');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
    await h.app.desk.claim(conv, (await h.app.desk.seats.ofActor({ platform: 'slack', userId: 'U0AGENT' }))!);
    const to = await person('UPT');
    const view = await openPicker('transfer', header.ts, conv.id);
    expect(view.view.callback_id).toBe('td:transfer');
    const res = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, viewSubmission({ user: 'U0AGENT', view, values: { who: { who: { type: 'users_select', selected_user: to.bindings[0]!.userId } }, reason: { text: { type: 'plain_text_input', value: 'billing question' } } } }));
    expect(res.status).toBe(200);
    await expect.poll(() => h.app.desk.conversations.claimer(conv.id), { timeout: 5000 }).toBe(to.id);
    const dm = await h.slack.waitFor((s) => s.dms.find((m) => m.channel === `D${to.bindings[0]!.userId.slice(1)}`), 5000);
    expect(dm.text).toContain('billing question');
    await h.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).find((m) => m.text.includes('transferred this conversation to Agent UPT')), 5000);
  });

  it('refuses an Escalate… submission with three people in the modal and sends nothing; two get their DMs', async () => {
    await act.customerWrites('491701110001', 'Picker escalate', { name: 'Ole' });
    const header = await act.headerFor('Picker escalate');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
    const people = await Promise.all(['UPA', 'UPB', 'UPC'].map(person));
    const ids = people.map((p) => p.bindings[0]!.userId);
    const dmsBefore = h.slack.dms.length;
    const view = await openPicker('escalate', header.ts, conv.id);
    const three = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, viewSubmission({ user: 'U0AGENT', view, values: { who: { who: { type: 'multi_users_select', selected_users: ids } }, reason: { text: { type: 'plain_text_input', value: 'help' } } } }));
    expect(JSON.parse(three.text)).toMatchObject({ response_action: 'errors', errors: { who: expect.stringContaining('at most two') } });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.slack.dms.length).toBe(dmsBefore);
    const two = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, viewSubmission({ user: 'U0AGENT', view, values: { who: { who: { type: 'multi_users_select', selected_users: ids.slice(0, 2) } }, reason: { text: { type: 'plain_text_input', value: 'legal threat' } } } }));
    expect(two.status).toBe(200);
    for (const id of ids.slice(0, 2)) await h.slack.waitFor((s) => s.dms.find((m) => m.channel === `D${id.slice(1)}` && m.text.includes('legal threat')), 5000);
  });

  it('imports seats from a CSV file shared with !seat import', async () => {
    const p = unique().toUpperCase();
    const file = h.slack.addUserFile({ filename: 'team.csv', bytes: Buffer.from(`user,name,roles\nU${p}F1,Fay,agent\nU${p}F2,Gus,agent\n`), user: 'U0AGENT' });
    const req = messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT', text: '!seat import', ts: nextMessageTs(), subtype: 'file_share', files: [file] });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, req)).status).toBe(200);
    await expect.poll(async () => (await h.app.desk.seats.ofActor({ platform: 'slack', userId: `U${p}F2` }))?.name, { timeout: 5000 }).toBe('Gus');
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === 'U0AGENT' && e.text === 'Imported 2 seats.'), 5000);
  });
});
