import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import type { Api } from 'grammy';
import type { CallbackQuery } from 'grammy/types';
import type { Update } from '../../handlers/context.js';
import { dispatch } from '../../handlers/dispatch.js';
import type { Conversation } from '../../core/model.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { callbackToUpdate, commandButtonToUpdate } from './to-update.js';
import type { TelegramUserDirectory } from './user-directory.js';

/** answerCallbackQuery shows 0–200 characters. */
const CALLBACK_TEXT_LIMIT = 200;

/** What the button handler needs: the desk, the Bot API, who is who, and the supergroups the desk mirrors into. */
export type ButtonHandlerOptions = Pick<AdapterContext, 'desk' | 'log'> & { api: Api; directory: TelegramUserDirectory; groups: ReadonlySet<string> };

/**
 * The entry of inline buttons (`callback_query`): a header button, a Claim
 * button under `/queue`'s list (in a private chat), or a DM's command button; the outcome goes back as the callback's answer (and, on
 * success, as a notice in the topic).
 */
export function createButtonHandler(o: ButtonHandlerOptions): (query: CallbackQuery) => Promise<void> {
  const { desk, log } = o;

  async function onCallback(query: CallbackQuery): Promise<void> {
    await o.directory.saw(query.from);
    const command = commandButtonToUpdate(query);
    if (command) {
      await runAndAnswer(query.id, command, undefined);
      return;
    }
    const update = callbackToUpdate(query);
    // A header's button in one of the desk's supergroups, or a Claim under `/queue`'s list in the
    // presser's private chat with the bot; buttons in other groups the bot is in are not this desk's.
    const inPrivateChat = query.message?.chat.type === 'private';
    if (!update || (!o.groups.has(update.location.channel) && !inPrivateChat)) {
      const seat = await desk.seats.ofActor({ platform: 'telegram', userId: String(query.from.id) });
      await answer(query.id, t(readerLanguage(desk.settings, seat, typeof query.from.language_code === 'string' ? { locale: query.from.language_code } : {}), 'telegram.unknown_button'), true);
      return;
    }
    await runAndAnswer(query.id, update, await desk.conversations.get(update.convId));
  }

  /** Runs a button's update; what the handlers say becomes the callback's answer (and, on success in a topic, a notice). */
  async function runAndAnswer(queryId: string, update: Update, conv: Conversation | undefined): Promise<void> {
    const said: string[] = [];
    // What was said only to the presser (a refusal, a private confirmation) shows as an alert they must close.
    let alert = false;
    await dispatch(desk, update, {
      reply: async (text) => {
        said.push(text);
        if (conv) await desk.notice(conv, text);
      },
      replyPrivately: async (text) => { alert = true; said.push(text); },
    });
    const text = said.join('\n');
    if (text.length > CALLBACK_TEXT_LIMIT) {
      // Too long for the pop-up: the whole text privately as well.
      await desk.tellPrivately('telegram', update.actor.userId, text, { channel: update.location.channel, ...(update.location.thread ? { thread: update.location.thread } : {}) });
    }
    await answer(queryId, text, alert);
  }

  async function answer(id: string, text: string, alert: boolean): Promise<void> {
    const shown = text.length > CALLBACK_TEXT_LIMIT ? `${text.slice(0, CALLBACK_TEXT_LIMIT - 1)}…` : text;
    try {
      await o.api.answerCallbackQuery(id, { ...(shown ? { text: shown } : {}), ...(alert ? { show_alert: true } : {}) });
    } catch (err) {
      // Too old, or Telegram unreachable: the spinner stops by itself; the action itself is done.
      log.warn({ err: String(err) }, 'could not answer a Telegram callback query');
    }
  }

  return onCallback;
}
