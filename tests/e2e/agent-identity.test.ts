import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { postToBot, slashCommand } from '../fakes/slack/index.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';

/** Two queues: `default` names its agents on WhatsApp with a prefix; `team` speaks as one (no names anywhere). */
const YAML = `queues:
  - name: default
    assignment: manual
    agent_identity:
      prefix: "{name} · {company}"
      company: Acme
  - name: team
    assignment: manual
    agent_identity:
      show_name: false
routing:
  rules:
    - queue: team
      keywords: ["#team"]
`;

/**
 * How customers see the agent (SPEC §13 agent identity), end to end: the
 * WhatsApp reply carries the configured prefix in bold, the API callback's
 * `agent` the agent's display name, and a queue with `show_name: false` names nobody.
 */
describe.each(['embedded', 'redis'] as StoreKind[])('agent identity on the %s store', (store) => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;

  beforeAll(async () => {
    h = await startDesk({ store, yaml: YAML, slack: { users: { U0ANA: { name: 'ana', real_name: 'Ana' } } } });
    act = actions(h);
    // A seat named Ana in both queues, added as an admin does it.
    const added = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/seat', text: 'add <@U0ANA|ana> agent default team name=Ana', user_id: 'U0AGENT', channel_id: 'C0SUPPORT' }));
    if (added.status !== 200 || !/Ana/.test(added.text)) throw new Error(`seat add failed: ${added.status} ${added.text}`);
  });
  afterAll(async () => { await h?.close(); });

  it('puts the configured prefix, in bold, before a WhatsApp reply', async () => {
    await act.customerWrites('491703330001', 'Is my refund done?');
    const header = await act.headerFor('Is my refund done?');
    await act.slackThreadMessage('U0ANA', header.ts, 'Yes, since this morning');
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491703330001'), 8000);
    expect(sent.text).toBe('*Ana · Acme*: Yes, since this morning');
  });

  it('names the agent in the API callback\'s `agent` field', async () => {
    await postApiMessage(h.app.url, SECRETS.apiSecret, { source: 'crm', message_id: `id-${store}-1`, customer: { id: 'cust-71' }, text: 'Can I pay by invoice?' });
    const header = await act.headerFor('Can I pay by invoice?');
    await act.slackThreadMessage('U0ANA', header.ts, 'Yes, within 30 days');
    const cb = await h.callbacks.waitFor((c) => c.received.find((r) => (r.body as { text?: string })?.text === 'Yes, within 30 days'), 8000);
    expect(cb.body).toMatchObject({ type: 'agent_reply', customer_id: 'cust-71', agent: 'Ana' });
  });

  it('names nobody for a queue with show_name: false, and adds no prefix where none is configured', async () => {
    await postApiMessage(h.app.url, SECRETS.apiSecret, { source: 'crm', message_id: `id-${store}-2`, customer: { id: 'cust-72' }, text: 'Question for the #team' });
    const header = await act.headerFor('Question for the #team');
    await act.slackThreadMessage('U0ANA', header.ts, 'We will look into it');
    const cb = await h.callbacks.waitFor((c) => c.received.find((r) => (r.body as { text?: string })?.text === 'We will look into it'), 8000);
    expect(cb.body).not.toHaveProperty('agent');
    await act.customerWrites('491703330002', 'Hello #team');
    const wa = await act.headerFor('Hello #team');
    await act.slackThreadMessage('U0ANA', wa.ts, 'Hello from the team');
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491703330002'), 8000);
    expect(sent.text).toBe('Hello from the team');
  });
});
