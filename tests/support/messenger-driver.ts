import type { DeskHarness, StoreKind } from './start-desk.js';

/**
 * How the one end-to-end scenario (tests/e2e/core-loop.test.ts) plays the
 * agents' side on a messenger, so Slack, Telegram and Discord run the same
 * story and cannot drift apart. Each messenger has a driver in
 * tests/support/drivers/<messenger>.ts; everything goes through that
 * messenger's fake and the bot's real transport (signed webhook, socket…).
 */
export interface MessengerDriver {
  /** The messenger module's id (`slack`, `telegram`, `discord`, or one registered by a test such as `echo`). */
  readonly name: string;
  /** Which transport, when a messenger is driven more than one way (Telegram: webhook, polling). */
  readonly variant?: string;
  /** Starts the app (WhatsApp customer side included) wired to this messenger's fake only; `yaml` is added to the config file. */
  start(store: StoreKind, o?: { yaml?: string }): Promise<DriverSession>;
}

/** Opaque handle of a conversation's thread (Slack thread_ts, Telegram topic id, Discord thread id). */
export type ThreadHandle = string;

export interface DriverSession {
  /** The running desk: app, WhatsApp Graph fake, clock, logs; `close()` stops everything. */
  readonly h: DeskHarness;
  /** Messenger user ids: `seat` is a bootstrap admin, `stranger` is no seat. */
  readonly users: { seat: string; stranger: string };
  /** Waits for the thread whose customer posts include `text`. */
  threadWith(text: string, timeoutMs?: number): Promise<ThreadHandle>;
  /** Texts the bot posted in the thread (customer messages and notices), oldest first; coalesced posts split into lines. */
  threadTexts(thread: ThreadHandle): string[];
  /** The header card as text (status, assignee…), as the agents see it now. */
  headerText(thread: ThreadHandle): string;
  /**
   * A person writes in the thread. `deliveryId` pins the platform's delivery id (event id, update id)
   * so a test can `redeliver` the exact same delivery, as the platform does on retries.
   */
  agentWrites(user: string, thread: ThreadHandle, text: string, o?: { deliveryId?: string; redeliver?: boolean }): Promise<{ status: number; messageId: string }>;
  /** The bot's own message comes back to it as an event (echo); `otherBot` is another bot. */
  botMessageArrives(thread: ThreadHandle, text: string, o?: { otherBot?: boolean }): Promise<void>;
  /** What `user` was told privately (ephemeral messages, DMs), oldest first. */
  privateTextsTo(user: string): string[];
  /** Whether the message `messageId` carries the delivered mark (✓). */
  isMarkedDelivered(thread: ThreadHandle, messageId: string): boolean;
  /** A delivery to the bot's messenger endpoint with a bad signature or secret: the HTTP status (or 401 for socket transports). */
  forgedDelivery(thread: ThreadHandle): Promise<number>;
  /** Number of API calls the bot made to this messenger so far (to show that something had no effect). */
  callCount(): number;
}
