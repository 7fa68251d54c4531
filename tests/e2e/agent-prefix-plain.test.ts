import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageChanged, postToBot } from '../fakes/slack/index.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram/index.js';
import { TELEGRAM_USERS, TELEGRAM_WEBHOOK_SECRET } from '../support/drivers/telegram.js';
import { startWechatDesk, type WechatDesk } from '../support/start-wechat-desk.js';
import { kfMessage } from '../fakes/wecom/index.js';

const YAML = `queues:
  - name: default
    assignment: manual
    agent_identity:
      prefix: "{name} · {company}"
      company: Acme
`;
const CUSTOMER = TELEGRAM_USERS.customer;
const WECHAT_CUSTOMER = 'wmPrefixExternalUser0001';

async function nameTheAdminAna(h: DeskHarness): Promise<void> {
  const admin = (await h.app.desk.seats.list())[0]!;
  await h.app.desk.seats.update(admin.id, (s) => ({ ...s, name: 'Ana' }));
}

/**
 * The queue's agent prefix on channels that show no sender and take no
 * formatting (SPEC §13): Telegram's private chats and WeChat get
 * `Ana · Acme: …` in plain text; an edit of a Telegram reply keeps it.
 */
describe.each<StoreKind>(['embedded', 'redis'])('the agent prefix to Telegram customers on the %s store', (store) => {
  let h: DeskHarness;
  let tg: TelegramFake;
  beforeAll(async () => {
    tg = await startTelegramFake();
    h = await startDesk({ store, yaml: YAML, env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_CHAT_ID: String(tg.groupId), TELEGRAM_API_ROOT: tg.url, TELEGRAM_WEBHOOK_SECRET } });
    const res = await fetch(`${tg.url}/bot${tg.token}/setWebhook`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${h.app.url}/telegram/webhook`, secret_token: TELEGRAM_WEBHOOK_SECRET }),
    });
    expect(res.ok).toBe(true);
    await nameTheAdminAna(h);
  });
  afterAll(async () => { await h?.close(); await tg?.close(); });

  it('puts "Ana · Acme: " before the reply, without markup, and keeps it when the agent edits the reply', async () => {
    await tg.userWritesPrivately(CUSTOMER, 'Is the store open today?');
    const act = actions(h);
    const header = await act.headerFor('Is the store open today?');
    const sent = await act.slackThreadMessage('U0AGENT', header.ts, 'Yes, until 6');
    const reply = await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).find((m) => m.text?.includes('until 6')), 8000);
    expect(reply.text).toBe('Ana · Acme: Yes, until 6');
    expect(reply.entities ?? []).toEqual([]);
    await h.slack.waitFor((s) => s.reactions.some((r) => r.ts === sent.payload.event.ts && r.name === 'white_check_mark'), 8000);
    const { message, previousText } = h.slack.userEditsMessage('C0SUPPORT', sent.payload.event.ts, 'Yes, until 7');
    await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, messageChanged(message, previousText));
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).some((m) => m.text === 'Ana · Acme: Yes, until 7' && m.edit_date), 8000);
  });
});

describe.each<StoreKind>(['embedded', 'redis'])('the agent prefix to WeChat customers on the %s store', (store) => {
  let w: WechatDesk;
  beforeAll(async () => {
    w = await startWechatDesk({ store, yaml: YAML });
    await nameTheAdminAna(w.h);
  });
  afterAll(async () => { await w?.close(); });

  it('puts "Ana · Acme: " before the reply in the text WeChat gets', async () => {
    w.fake.push(kfMessage.text(w.fake.base(WECHAT_CUSTOMER), 'Do you deliver to Suzhou?'));
    expect((await w.fake.deliverKfCallback()).status).toBe(200);
    const header = await actions(w.h).headerFor('Do you deliver to Suzhou?');
    await actions(w.h).slackThreadMessage('U0AGENT', header.ts, 'Yes, in 2 days');
    await expect.poll(() => w.fake.sent.find((m) => m.touser === WECHAT_CUSTOMER)?.content, { timeout: 8000 }).toBe('Ana · Acme: Yes, in 2 days');
  });
});
