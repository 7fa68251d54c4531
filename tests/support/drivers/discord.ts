import type { DriverSession, MessengerDriver } from '../messenger-driver.js';
import { startDesk, type DeskHarness, type StoreKind } from '../start-desk.js';
import { startDiscordFake, type DiscordFake, type DiscordFakeOptions } from '../../fakes/discord/index.js';

export const DISCORD_USERS = {
  seat: '940000000000000001',
  stranger: '940000000000000002',
  colleague: '940000000000000003',
  otherBot: '950000000000000001',
} as const;

/** The env that points the desk at a Discord fake (Slack off: empty values count as unset). */
export function discordEnv(fake: DiscordFake, admins: string[] = [DISCORD_USERS.seat]): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_CHANNEL: '',
    DISCORD_TOKEN: fake.config.token, DISCORD_APPLICATION_ID: fake.config.applicationId,
    DISCORD_GUILD_ID: fake.config.guildId, DISCORD_CHANNEL_ID: fake.config.channels[0]!, DISCORD_API_URL: fake.url,
    BOOTSTRAP_ADMINS: admins.map((u) => `discord:${u}`).join(','),
  };
}

export function discordFakeOptions(extra: DiscordFakeOptions = {}): DiscordFakeOptions {
  return {
    users: {
      [DISCORD_USERS.seat]: { username: 'alex', global_name: 'Alex' },
      [DISCORD_USERS.stranger]: { username: 'sam', global_name: 'Sam' },
      [DISCORD_USERS.colleague]: { username: 'kim', global_name: 'Kim' },
      [DISCORD_USERS.otherBot]: { username: 'deploybot', bot: true },
    },
    ...extra,
  };
}

/** Starts the desk against a Discord fake and waits until its gateway session is live and its commands are registered. */
export async function startDiscordDesk(store: StoreKind, o: { fake?: DiscordFakeOptions; env?: Record<string, string>; yaml?: string } = {}): Promise<{ h: DeskHarness; fake: DiscordFake }> {
  const fake = await startDiscordFake(discordFakeOptions(o.fake));
  const h = await startDesk({ store, env: { ...discordEnv(fake), ...o.env }, ...(o.yaml ? { yaml: o.yaml } : {}) });
  try {
    await fake.waitFor((f) => f.liveConnections === 1 && f.commands.length > 0, 20_000);
  } catch (err) {
    // Say why: the desk's own log has the gateway's and the command registration's story.
    await h.close();
    throw new Error(`${(err as Error).message}\n--- desk log ---\n${h.logs.filter((l) => /discord|"level":[45]0/.test(l)).slice(-30).join('')}`);
  }
  const close = h.close.bind(h);
  h.close = async (c = {}) => { await close(c); if (!c.keepFakes) await fake.close(); };
  return { h, fake };
}

/**
 * Discord: the agents' side arrives over the gateway (MESSAGE_CREATE and
 * INTERACTION_CREATE dispatches from the fake to the real discord.js client);
 * the REST fake records what the bot did.
 */
export const discordDriver: MessengerDriver = {
  name: 'discord',
  async start(store, o = {}) {
    const { h, fake } = await startDiscordDesk(store, o.yaml ? { yaml: o.yaml } : {});
    const channel = fake.config.channels[0]!;
    const bot = fake.config.botUserId;
    const sent = new Map<string, string>();
    const fromBot = (thread: string) => fake.messagesIn(thread).filter((m) => m.author.id === bot);
    const session: DriverSession = {
      h,
      users: { seat: DISCORD_USERS.seat, stranger: DISCORD_USERS.stranger },
      async threadWith(text, timeoutMs = 5000) {
        const thread = await fake.waitFor((f) => f.threadsIn(channel).find((t) => fromBot(t.id).some((m) => m.content.split('\n').includes(text))), timeoutMs);
        return thread.id;
      },
      threadTexts: (thread) => fromBot(thread).flatMap((m) => m.content.split('\n')),
      headerText: (thread) => {
        const header = fake.message(thread);
        return JSON.stringify({ content: header?.content, embeds: header?.embeds, components: header?.components });
      },
      async agentWrites(user, thread, text, o = {}) {
        const previous = o.redeliver && o.deliveryId ? sent.get(o.deliveryId) : undefined;
        if (previous) {
          // Discord can hand a message over twice (a replay after a resume): same message, same id.
          fake.redeliver(previous);
          return { status: 200, messageId: previous };
        }
        const m = fake.userWrites({ channelId: thread, userId: user, content: text });
        if (o.deliveryId) sent.set(o.deliveryId, m.id);
        return { status: 200, messageId: m.id };
      },
      async botMessageArrives(thread, text, o = {}) {
        // Frames only: the driver's thread texts are what the bot itself posted.
        if (o.otherBot) {
          fake.userWrites({ channelId: thread, userId: DISCORD_USERS.otherBot, content: text, keep: false });
          fake.userWrites({ channelId: thread, userId: DISCORD_USERS.otherBot, content: text, webhookId: '960000000000000001', keep: false });
        } else {
          fake.userWrites({ channelId: thread, userId: bot, content: text, keep: false });
        }
      },
      privateTextsTo: (user) => [...fake.ephemeralsTo(user), ...fake.dmsTo(user).map((m) => m.content)],
      isMarkedDelivered: (thread, messageId) => fake.reactions.some((r) => r.channelId === thread && r.messageId === messageId && r.emoji === '✅'),
      /**
       * A gateway has no signature to forge: what must be refused is a
       * dispatch that is not the desk's. A seat's reply dispatched as coming
       * from another server, and a button press for another application, must
       * have no effect at all (no REST call, nothing to the customer); the
       * status is then reported as the 401 an HTTP endpoint would give.
       */
      async forgedDelivery(thread) {
        const before = fake.calls.length;
        fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'forged', guildId: '919999999999999999' });
        fake.pressButton({ userId: DISCORD_USERS.seat, messageId: thread, customId: 'td:close:whatever', applicationId: '909999999999999999' });
        await new Promise((r) => setTimeout(r, 300));
        return fake.calls.length === before ? 401 : 200;
      },
      callCount: () => fake.calls.length,
    };
    return session;
  },
};
