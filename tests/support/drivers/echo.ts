import type { Registry } from '../../../src/config/registry.js';
import { MODULES } from '../../../src/modules.js';
import { echoSignature, startEchoFake, type EchoFake } from '../../fakes/echo/start-echo-fake.js';
import { DELIVERED_EMOJI } from '../echo/deliver.js';
import { echoMessenger } from '../echo/module.js';
import type { DriverSession, MessengerDriver } from '../messenger-driver.js';
import { startDesk } from '../start-desk.js';

/** The shipped modules plus Echo, registered the way any build would add a messenger. */
export const ECHO_REGISTRY: Registry = { messengers: [...MODULES.messengers, echoMessenger], channels: MODULES.channels };

export const ECHO_SECRET = 'echo-secret-for-tests';
export const ECHO_CHANNEL = 'E-SUPPORT';
export const ECHO_USERS = { seat: 'EAGENT', stranger: 'EOTHER' } as const;

/** The bot's posts in a thread other than the header (the thread's first message), one entry per line. */
function botLines(fake: EchoFake, thread: string): string[] {
  return fake.thread(ECHO_CHANNEL, thread).filter((m) => m.user === fake.botId && m.id !== thread).flatMap((m) => m.text.split('\n'));
}

/**
 * Echo: a messenger defined only in tests/ (tests/support/echo, its platform
 * tests/fakes/echo). People's messages reach the desk as signed events at
 * `POST /echo/events`; the fake records every API call the desk makes.
 */
export const echoDriver: MessengerDriver = {
  name: 'echo',
  async start(store) {
    const fake = await startEchoFake({ secret: ECHO_SECRET, channels: [ECHO_CHANNEL] });
    const h = await startDesk({
      store,
      registry: ECHO_REGISTRY,
      env: {
        // Slack off (empty values count as unset), Echo on.
        SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_CHANNEL: '',
        ECHO_API_URL: fake.url, ECHO_SECRET, ECHO_CHANNEL,
        BOOTSTRAP_ADMINS: `echo:${ECHO_USERS.seat}`,
      },
    });
    fake.eventsUrl = `${h.app.url}/echo/events`;
    const close = h.close.bind(h);
    h.close = async (c = {}) => { await close(c); if (!c.keepFakes) await fake.close(); };
    let echoes = 1;
    const session: DriverSession = {
      h,
      users: { ...ECHO_USERS },
      async threadWith(text, timeoutMs = 5000) {
        const post = await fake.waitFor((f) => f.messages.find((m) => m.user === f.botId && m.id !== m.thread && m.text.split('\n').includes(text)), timeoutMs);
        return post.thread;
      },
      threadTexts: (thread) => botLines(fake, thread),
      headerText: (thread) => fake.message(ECHO_CHANNEL, thread)?.text ?? '',
      async agentWrites(user, thread, text, o = {}) {
        if (o.redeliver && o.deliveryId) {
          const first = fake.messages.find((m) => m.user === user && m.text === text && m.thread === thread);
          return { status: await fake.redeliver(o.deliveryId), messageId: first?.id ?? '' };
        }
        const written = await fake.userWrites(user, ECHO_CHANNEL, thread, text, o.deliveryId);
        return { status: written.status, messageId: written.messageId };
      },
      async botMessageArrives(thread, text, o = {}) {
        // The desk's own message carries its user id; another bot's is flagged `bot`.
        const message = o.otherBot
          ? { id: `x${echoes}`, channel: ECHO_CHANNEL, thread, user: 'EDEPLOYBOT', bot: true, text }
          : { id: `x${echoes}`, channel: ECHO_CHANNEL, thread, user: fake.botId, text };
        const status = await fake.sendEvent({ id: `echo-${echoes++}`, type: 'message', message });
        if (status !== 200) throw new Error(`bot message delivery answered ${status}`);
      },
      privateTextsTo: (user) => [...fake.privates.filter((p) => p.user === user), ...fake.dms.filter((d) => d.user === user)].sort((a, b) => a.seq - b.seq).map((m) => m.text),
      isMarkedDelivered: (_thread, messageId) => Boolean(fake.message(ECHO_CHANNEL, messageId)?.reactions.some((r) => r.user === fake.botId && r.emoji === DELIVERED_EMOJI)),
      async forgedDelivery(thread) {
        const event = { id: 'forged-1', type: 'message' as const, message: { id: 'forged', channel: ECHO_CHANNEL, thread, user: ECHO_USERS.seat, text: 'forged' } };
        return fake.sendEvent(event, { signature: echoSignature('not-the-secret', JSON.stringify(event)) });
      },
      callCount: () => fake.calls.length,
    };
    return session;
  },
};
