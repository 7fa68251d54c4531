import type { Desk } from '../core/desk.js';
import type { AgentFile } from '../core/files/agent-file.js';
import type { Actor, Conversation, Seat } from '../core/model.js';
import { queueLanguage, readerLanguage } from '../i18n/choose-language.js';
import type { Lang } from '../i18n/languages.js';
import type { PrivateView } from '../core/overview/private-view.js';
import { privateViewText } from './private-view-text.js';

/** Where in a messenger something happened: enough to find the conversation. */
export interface Location {
  workspace: string;
  channel: string;
  /** The thread (Slack thread_ts, Telegram topic, Discord thread), when inside one. */
  thread?: string;
}

/** Neutral updates: each messenger adapter turns its events into these (one entry per transport). */
export type Update =
  | {
      kind: 'thread_message';
      actor: Actor;
      location: Location & { thread: string };
      /** The platform's id of this message (Slack ts), to mark it delivered. */
      messageId: string;
      text: string;
      /** Messenger user ids mentioned in the text. */
      mentions: string[];
      /** Files attached to the message (Slack file share, Telegram photo/document, Discord attachment), by reference. */
      files?: AgentFile[];
    }
  | {
      kind: 'command';
      actor: Actor;
      location: Location;
      name: string;
      /** The text after the command name, mentions removed or left as the platform wrote them. */
      args: string;
      /** Messenger user ids mentioned in the arguments, in order (Slack `<@U…>`, Telegram text mentions, Discord user options). */
      mentions?: string[];
      /** Files sent with the command (a CSV for `/seat import`). */
      files?: { name: string; read(): Promise<Buffer> }[];
    }
  | { kind: 'action'; actor: Actor; location: Location; name: string; convId: string; /** What was picked, for a select (the template picker: `<name> <language>`). */ args?: string }
  /**
   * A person edited (`text`: the new wording) or deleted (no `text`) a message
   * of theirs in a thread (Slack `message_changed`/`message_deleted`, Telegram
   * `edited_message`, Discord MESSAGE_UPDATE/DELETE); `messageId` as in its `thread_message`.
   */
  | { kind: 'reply_changed'; actor: Actor; location: Location & { thread: string }; messageId: string; text?: string }
  /** Someone is typing in a thread (Discord's TYPING_START; Slack and Telegram do not tell bots). */
  | { kind: 'typing'; actor: Actor; location: Location & { thread: string } };

/**
 * One context per update with bound verbs (STYLE §2). Handlers never see
 * platform types: the adapter supplies `reply` and `replyPrivately`.
 */
export interface HandlerContext {
  readonly desk: Desk;
  readonly actor: Actor;
  readonly seat: Seat | undefined;
  readonly location: Location;
  /** The conversation this update is about, if any. */
  readonly conversation: Conversation | undefined;
  /** The actor's language: what `replyPrivately` texts are written in. */
  readonly lang: Lang;
  /** The language of `reply` texts: the conversation's queue's (everyone in the thread reads them), else the actor's. */
  readonly threadLang: Lang;
  /** Says something in the conversation's thread, visible to agents only. */
  reply(text: string): Promise<void>;
  /** Says something only the actor sees. */
  replyPrivately(text: string): Promise<void>;
  /**
   * Shows only the actor a rich view (`/queue`'s list with Claim buttons), in
   * the messenger's own form; where it has none, its plain text.
   */
  showPrivately(view: PrivateView): Promise<void>;
}

export interface ContextVerbs {
  reply?: (text: string) => Promise<void>;
  replyPrivately?: (text: string) => Promise<void>;
  /** The adapter's own rich answer (Slack's slash-command response, Discord's interaction reply). */
  showPrivately?: (view: PrivateView) => Promise<void>;
}

/**
 * Builds the context: finds the seat and the conversation, and binds the
 * default verbs (both through the outbox) unless the adapter has better ones
 * (a slash command's immediate ephemeral answer, for instance).
 */
export async function createContext(desk: Desk, update: Update, verbs: ContextVerbs = {}): Promise<HandlerContext> {
  const { location } = update;
  // Two reads of two round trips each on Redis, independent of each other: side by side.
  const [seat, conversation] = await Promise.all([
    desk.seats.ofActor(update.actor),
    update.kind === 'action'
      ? desk.conversations.get(update.convId)
      : location.thread
        ? desk.conversations.byThread(update.actor.platform, location.workspace, location.channel, location.thread)
        : undefined,
  ]);
  const where = { channel: location.channel, ...(location.thread ? { thread: location.thread } : {}) };
  const lang = readerLanguage(desk.settings, seat, update.actor);
  const threadLang = conversation ? queueLanguage(desk.settings, conversation.queue) : lang;
  return {
    desk, actor: update.actor, seat, location, conversation, lang, threadLang,
    reply: verbs.reply ?? (async (text) => {
      if (conversation) await desk.notice(conversation, text);
      else await desk.tellPrivately(update.actor.platform, update.actor.userId, text, where);
    }),
    replyPrivately: verbs.replyPrivately ?? ((text) => desk.tellPrivately(update.actor.platform, update.actor.userId, text, where)),
    // By default through the outbox, with its plain text for messengers that render no view; an adapter
    // that answers with text only (a button's pop-up) passes just `replyPrivately` and gets the text.
    showPrivately: verbs.showPrivately
      ?? (verbs.replyPrivately
        ? (view) => verbs.replyPrivately!(privateViewText(view))
        : (view) => desk.tellPrivately(update.actor.platform, update.actor.userId, privateViewText(view), where, view)),
  };
}
