import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import { Bot } from 'grammy';
import type { Message, Update as TelegramUpdate } from 'grammy/types';
import { BOT_COMMANDS, localizedBotCommands } from './commands.js';
import type { LanguageCode } from 'grammy/types';
import { dispatch } from '../../handlers/dispatch.js';
import type { Update } from '../../handlers/context.js';
import type { Route } from '../../http/types.js';
import type { AdapterContext, MessengerAdapter } from '../messenger-adapter.js';
import { TelegramDeliverer } from './deliver.js';
import { telegramAgentFiles } from './fetch-agent-file.js';
import { createFileDownloader, TelegramFileError } from './download-file.js';
import { TelegramIdentity } from './identity.js';
import { TelegramPollingReceiver } from './polling-receiver.js';
import { createButtonHandler } from './press-button.js';
import { TelegramWebhookReceiver } from './receiver.js';
import { TelegramUserDirectory } from './user-directory.js';
import { processOnce } from '../process-once.js';
import { cachedPing } from '../kit/cached-ping.js';
import { documentCommandOf, groupEditToUpdate, groupMessageToUpdate, privateCommandOf, type BotIdentity } from './to-update.js';
import { telegramClientOptions } from './client-options.js';

type CommandUpdate = Extract<Update, { kind: 'command' }>;

export interface TelegramAdapterOptions extends AdapterContext {
  botToken: string;
  /** The agents' supergroup (forum topics on). */
  chatId: string;
  /** Webhook mode at POST /telegram/webhook when set; long polling otherwise. */
  webhookSecret: string | undefined;
  apiRoot: string;
}

/**
 * Telegram for the desk: a grammY bot for the agents' supergroup, one forum
 * topic per conversation. Every update, from the webhook (`POST
 * /telegram/webhook`) or from long polling, enters through
 * `bot.handleUpdate`, is processed once per `update_id`, and becomes a
 * neutral update for `dispatch`; private chats with the bot are also a
 * customer channel (`telegram`). Bot API calls (at `apiRoot`) come from the
 * outbox through `TelegramDeliverer`.
 */
export function createTelegramAdapter(o: TelegramAdapterOptions): MessengerAdapter {
  const log = o.log.child({ messenger: 'telegram' });
  const { desk } = o;
  const bot = new Bot(o.botToken, { client: telegramClientOptions(o.apiRoot) });
  const identity = new TelegramIdentity(bot.api);
  const directory = new TelegramUserDirectory(o.state);
  const deliverer = new TelegramDeliverer(bot.api, { desk, identity, log, fetchMedia: o.fetchMedia, state: o.state, clock: o.clock, names: directory.names, ...(o.carried ? { carried: o.carried } : {}) });
  const download = createFileDownloader(bot.api, o.botToken, o.apiRoot);
  /** The supergroups the desk mirrors into (the queues' Telegram chats); other chats the bot is in are ignored. */
  const groups = new Set([o.chatId, ...Object.values(desk.settings.queues).filter((q) => q.messenger === 'telegram').map((q) => q.channel)]);

  const ready = async (): Promise<BotIdentity> => {
    const me = await identity.get();
    if (!bot.isInited()) bot.botInfo = me;
    return { id: me.id, username: me.username };
  };
  /** The one entry of both transports. */
  const handleUpdate = async (update: TelegramUpdate): Promise<void> => {
    await ready();
    await bot.handleUpdate(update);
  };

  // Every update is processed once, however often it is delivered (webhook retries, a new poller, a retry after a failure).
  const once = processOnce(o.dedupe, 'telegram');
  bot.use(async (ctx, next) => {
    const outcome = await once(`update:${ctx.me.id}:${ctx.update.update_id}`, next);
    if (outcome === 'duplicate') log.debug({ updateId: ctx.update.update_id }, 'telegram update already handled');
  });
  bot.on('message', async (ctx) => onMessage(ctx.message, { id: ctx.me.id, username: ctx.me.username }));
  const onCallback = createButtonHandler({ desk, log, api: bot.api, directory, groups });
  bot.on('callback_query', async (ctx) => onCallback(ctx.callbackQuery));
  bot.on('edited_message', async (ctx) => onEditedMessage(ctx.editedMessage, { id: ctx.me.id, username: ctx.me.username }));

  /** A customer edited a private message (src/channels/telegram), or an agent a message in a topic (maybe a reply). */
  async function onEditedMessage(edited: Message, me: BotIdentity): Promise<void> {
    if (edited.chat.type !== 'private') {
      const update = groups.has(String(edited.chat.id)) ? groupEditToUpdate(edited, me) : undefined;
      if (update) await dispatch(desk, update);
      return;
    }
    if (privateCommandOf(edited, me)) return;
    await o.carried?.receiveEdit(edited, me);
  }

  async function onMessage(message: Message, me: BotIdentity): Promise<void> {
    if (message.from) await directory.saw(message.from);
    // A document captioned with a command (`/seat import` with a CSV) is that command, the document its file.
    const withFile = documentCommandOf(message, me, desk.settings.rules, download);
    if (message.chat.type === 'private') return onPrivateMessage(message, me, withFile === 'other_bot' ? undefined : withFile);
    if (!groups.has(String(message.chat.id))) return;
    if (withFile) {
      if (withFile !== 'other_bot') await runCommand(withFile);
      return;
    }
    const update = groupMessageToUpdate(message, me);
    if (!update) return;
    await dispatch(desk, { ...update, mentions: await directory.resolve(update.mentions ?? []) });
  }

  /** A private chat is a seat's command line or a customer writing in. */
  async function onPrivateMessage(message: Message, me: BotIdentity, withFile: CommandUpdate | undefined): Promise<void> {
    const command = withFile ?? privateCommandOf(message, me);
    if (command) {
      const seat = await desk.seats.ofActor(command.actor);
      if (command.name === 'start') {
        deliverer.privateChatOpened(command.actor.userId);
        if (seat) await desk.tellPrivately('telegram', command.actor.userId, t(readerLanguage(desk.settings, seat), 'telegram.started'));
        // A customer's Start opens nothing: their first real message does.
        return;
      }
      if (seat) { await runCommand(command); return; }
    }
    // Customers write here only when the Telegram customer channel is on.
    await o.carried?.receiveMessage(message, me);
  }

  /**
   * A command typed in a message. A file sent with it that is over the Bot
   * API's download limit is told to the sender: trying the update again
   * would not make it smaller.
   */
  async function runCommand(command: CommandUpdate): Promise<void> {
    try {
      await dispatch(desk, { ...command, mentions: await directory.resolve(command.mentions ?? []) });
    } catch (err) {
      if (!(err instanceof TelegramFileError) || err.code !== 'file_too_big') throw err;
      log.info({ userId: command.actor.userId, command: command.name }, 'a file sent with a command is over the Bot API download limit; the sender was told');
      const { channel, thread } = command.location;
      await desk.tellPrivately('telegram', command.actor.userId, err.message, { channel, ...(thread ? { thread } : {}) });
    }
  }

  const receiver = o.webhookSecret ? new TelegramWebhookReceiver(o.webhookSecret, log, ready, handleUpdate) : undefined;
  const poller = receiver
    ? undefined
    : new TelegramPollingReceiver({
        api: bot.api, log, handleUpdate,
        ...(o.metrics ? { metrics: o.metrics } : {}),
        botId: async () => (await ready()).id,
        ...(o.leases.shared ? { lease: { ...o.leases, owner: o.instanceId } } : {}),
      });
  const routes: Route[] = receiver ? [{ method: 'POST', path: '/telegram/webhook', handler: (req) => receiver.handle(req) }] : [];

  return {
    platform: 'telegram',
    routes,
    deliverer,
    fetchAgentFile: telegramAgentFiles(bot.api, o.botToken, o.apiRoot),
    async start() {
      try {
        await ready();
        await bot.api.setMyCommands(BOT_COMMANDS);
        for (const l of localizedBotCommands()) await bot.api.setMyCommands(l.commands, { language_code: l.languageCode as LanguageCode });
        if (receiver) {
          const info = await bot.api.getWebhookInfo();
          if (!info.url) log.warn('Telegram webhook mode, but no webhook is set: call setWebhook with url=https://<public host>/telegram/webhook and secret_token=<TELEGRAM_WEBHOOK_SECRET>, or unset TELEGRAM_WEBHOOK_SECRET to poll.');
          else if (!new URL(info.url).pathname.endsWith('/telegram/webhook')) log.warn({ path: new URL(info.url).pathname }, 'the Telegram webhook points at another path than /telegram/webhook');
        }
      } catch (err) {
        log.warn({ err: String(err) }, 'Telegram getMe/setMyCommands failed at start; updates are refused (503) until getMe works. Check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT.');
      }
      poller?.start();
    },
    async stop() {
      await poller?.stop();
    },
    // A fresh getMe at most every 15 s: readiness must notice Telegram going away.
    ping: cachedPing(() => bot.api.getMe()),
  };
}
