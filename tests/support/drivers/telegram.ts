import type { DriverSession, MessengerDriver } from '../messenger-driver.js';
import { startDesk, type DeskHarness, type StoreKind } from '../start-desk.js';
import { startTelegramFake, type StoredMessage, type TelegramFake, type TelegramFakeOptions } from '../../fakes/telegram/index.js';

/** Transport of the desk's Telegram side: webhook (TELEGRAM_WEBHOOK_SECRET set) or long polling. */
export type TelegramMode = 'webhook' | 'polling';

export const TELEGRAM_USERS = { seat: 1001, stranger: 1002, customer: 2001 } as const;
export const TELEGRAM_WEBHOOK_SECRET = 'tg-webhook-secret_for-tests';

/** The env that points the desk at a Telegram fake (Slack off: empty values count as unset). */
export function telegramEnv(fake: TelegramFake, mode: TelegramMode, admins: number[] = [TELEGRAM_USERS.seat]): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_CHANNEL: '',
    TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_CHAT_ID: String(fake.groupId), TELEGRAM_API_ROOT: fake.url,
    ...(mode === 'webhook' ? { TELEGRAM_WEBHOOK_SECRET } : {}),
    BOOTSTRAP_ADMINS: admins.map((u) => `telegram:${u}`).join(','),
  };
}

/**
 * Starts the desk against a Telegram fake. Webhook mode: points the fake's
 * webhook at the desk (as an operator does with setWebhook). Polling: waits
 * for the first getUpdates. `reuse` starts another replica on the same fake.
 */
export async function startTelegramDesk(
  store: StoreKind,
  o: { mode: TelegramMode; fake?: TelegramFakeOptions; env?: Record<string, string>; reuse?: { h: DeskHarness; fake: TelegramFake }; waitForPolling?: boolean; yaml?: string },
): Promise<{ h: DeskHarness; fake: TelegramFake }> {
  const fake = o.reuse?.fake ?? (await startTelegramFake(o.fake));
  const h = await startDesk({
    store,
    env: { ...telegramEnv(fake, o.mode), ...o.env },
    ...(o.yaml ? { yaml: o.yaml } : {}),
    ...(o.reuse ? { reuse: { slack: o.reuse.h.slack, graph: o.reuse.h.graph, callbacks: o.reuse.h.callbacks, prefix: o.reuse.h.prefix } } : {}),
  });
  if (o.mode === 'webhook') {
    const res = await fetch(`${fake.url}/bot${fake.token}/setWebhook`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${h.app.url}/telegram/webhook`, secret_token: TELEGRAM_WEBHOOK_SECRET }),
    });
    if (!res.ok) throw new Error(`setWebhook on the fake failed: ${res.status}`);
  } else if (o.waitForPolling !== false) {
    const before = fake.callsTo('getUpdates').length;
    await fake.waitFor((f) => f.callsTo('getUpdates').length > before, 10_000);
  }
  if (!o.reuse) {
    const close = h.close.bind(h);
    h.close = async (c = {}) => { await close(c); if (!c.keepFakes) await fake.close(); };
  }
  return { h, fake };
}

/** The header card of a topic: the bot's message with the conversation's buttons. */
export function headerOf(fake: TelegramFake, thread: number): StoredMessage | undefined {
  return fake.topicMessages(thread).find((m) => isHeader(fake, m));
}

/** What the bot posted in a topic (customer messages and notices, the header excluded), one entry per line. */
export function botLines(fake: TelegramFake, thread: number): string[] {
  return fake.topicMessages(thread).filter((m) => m.from.id === fake.bot.id && !isHeader(fake, m)).flatMap((m) => (m.text ?? m.caption ?? '').split('\n'));
}

function isHeader(fake: TelegramFake, m: StoredMessage): boolean {
  return m.from.id === fake.bot.id && Boolean(m.reply_markup?.inline_keyboard?.flat().some((b) => b.callback_data?.startsWith('td:')));
}

/**
 * Telegram: the agents' side arrives as updates from the fake Bot API, POSTed
 * to `/telegram/webhook` with the secret header (webhook mode) or fetched by
 * the desk's getUpdates (polling); the fake records every Bot API call.
 */
export function telegramDriver(mode: TelegramMode): MessengerDriver {
  return {
    name: 'telegram',
    variant: mode,
    async start(store, o = {}) {
      const { h, fake } = await startTelegramDesk(store, { mode, ...(o.yaml ? { yaml: o.yaml } : {}) });
      // Both people pressed Start, so private answers reach them as DMs.
      for (const user of [TELEGRAM_USERS.seat, TELEGRAM_USERS.stranger]) {
        const started = await fake.userStartsBot(user);
        if (started.status !== 200) throw new Error(`the desk did not take /start from ${user} (status ${started.status})`);
      }
      const sent = new Map<string, { updateId: number; messageId: number }>();
      let echoId = 900_000;
      const session: DriverSession = {
        h,
        users: { seat: String(TELEGRAM_USERS.seat), stranger: String(TELEGRAM_USERS.stranger) },
        async threadWith(text, timeoutMs = 20_000) {
          const topic = await fake.waitFor((f) => f.topics.find((t) => !t.deleted && botLines(f, t.message_thread_id).includes(text)), timeoutMs);
          return String(topic.message_thread_id);
        },
        threadTexts: (thread) => botLines(fake, Number(thread)),
        headerText(thread) {
          const header = headerOf(fake, Number(thread));
          return header ? [header.text ?? '', ...(header.reply_markup?.inline_keyboard?.flat().map((b) => `[${b.text}]`) ?? [])].join('\n') : '';
        },
        async agentWrites(user, thread, text, o = {}) {
          const previous = o.redeliver && o.deliveryId ? sent.get(o.deliveryId) : undefined;
          if (previous) {
            const again = await fake.redeliver(previous.updateId);
            return { status: again.status, messageId: String(previous.messageId) };
          }
          const written = await fake.userWritesInTopic(Number(user), Number(thread), text);
          if (o.deliveryId) sent.set(o.deliveryId, { updateId: written.updateId, messageId: written.messageId });
          return { status: written.status, messageId: String(written.messageId) };
        },
        async botMessageArrives(thread, text, o = {}) {
          // Telegram never shows a bot its own messages, and bots do not see each other's; the desk must drop them anyway.
          const from = o.otherBot ? { id: 5550001, is_bot: true, first_name: 'Deploy', username: 'deploy_bot' } : fake.bot;
          const delivery = await fake.deliver({
            message: {
              message_id: echoId++, from, date: Math.floor(Date.now() / 1000),
              chat: { id: fake.groupId, type: 'supergroup', title: 'Support desk', is_forum: true },
              message_thread_id: Number(thread), is_topic_message: true, text,
            },
          });
          if (delivery.status !== 200) throw new Error(`bot message delivery answered ${delivery.status}`);
        },
        privateTextsTo: (user) => fake.privateMessagesTo(Number(user)).map((m) => m.text ?? ''),
        isMarkedDelivered: (_thread, messageId) => Boolean(fake.message(fake.groupId, Number(messageId))?.reactions.some((r) => r.user === fake.bot.id)),
        async forgedDelivery() {
          const res = await fetch(`${h.app.url}/telegram/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'not-the-secret' },
            body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: fake.groupId, type: 'supergroup' }, from: { id: TELEGRAM_USERS.seat, is_bot: false, first_name: 'Alex' }, text: 'forged' } }),
          });
          if (mode === 'webhook') return res.status;
          // Polling has no endpoint to forge: the webhook route must not exist at all (SPEC §10: no secret, no route).
          if (res.status !== 404) throw new Error(`polling mode: /telegram/webhook answered ${res.status}; the route must be off (404)`);
          return 401;
        },
        // Long polling calls getUpdates all the time; what counts is what the bot did.
        callCount: () => fake.calls.filter((c) => c.method !== 'getUpdates').length,
      };
      return session;
    },
  };
}
