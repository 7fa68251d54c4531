import type { Conversation } from '../model.js';
import type { ServiceSettings } from '../service-settings.js';
import { isOpen, nextOpening } from '../hours/business-hours.js';
import { localTime } from '../hours/local-time.js';

/** The words of the desk's own replies to customers, made outside core (templates, the queue's language, dates). */
export interface AutoReplyWords {
  /** The away reply: `template` (or the queue language's default) with `{customer_name}`, `{queue}`, `{opens_at}`. */
  away(conv: Conversation, template: string | undefined, opensAt: number | undefined, timeZone: string): string;
  /** A welcome template with its variables filled in. */
  welcome(conv: Conversation, template: string): string;
  /** What the thread is told, so agents see what the customer got. */
  sentNotice(conv: Conversation, kind: AutoReplyKind, text: string): string;
}

export type AutoReplyKind = 'welcome' | 'away';

export interface DueAutoReply { kind: AutoReplyKind; text: string }

/**
 * What the desk itself answers a customer message (SPEC §7): outside the
 * queue's hours the away reply, at most once per conversation per interval
 * (`awayRepliedAt` on the conversation; WhatsApp flags repeated automatic
 * messages as spam); otherwise, on a conversation's first message, the
 * welcome of the first slot that holds. Off-hours the away reply takes the
 * welcome's place: one automatic message, not two.
 */
export function dueAutoReply(conv: Conversation, opened: boolean, now: number, service: ServiceSettings | undefined, words: AutoReplyWords, welcomedAlready = false): DueAutoReply | undefined {
  if (!service) return undefined;
  const h = service.hours;
  if (h && !isOpen(h, now)) {
    if (conv.awayRepliedAt !== undefined && now - conv.awayRepliedAt < service.awayIntervalMs) return undefined;
    return { kind: 'away', text: words.away(conv, service.awayReply, nextOpening(h, now), h.timeZone) };
  }
  if (!opened || welcomedAlready) return undefined;
  return welcomeNow(conv, now, service, words);
}

/**
 * The welcome a conversation of this queue gets now: none outside its hours
 * (the away reply speaks then) or when no slot holds. Also what a channel
 * that greets on entry (WeChat's `enter_session`) sends before the customer
 * writes; the intake then sends no second one.
 */
export function welcomeNow(conv: Conversation, now: number, service: ServiceSettings | undefined, words: AutoReplyWords): DueAutoReply | undefined {
  if (!service?.welcome.length) return undefined;
  if (service.hours && !isOpen(service.hours, now)) return undefined;
  const minute = localTime(now, service.hours?.timeZone ?? 'UTC').minute;
  const slot = service.welcome.find((w) => !w.between || inSlot(minute, w.between.from, w.between.to));
  return slot ? { kind: 'welcome', text: words.welcome(conv, slot.text) } : undefined;
}

/** A slot `from`–`to` (minutes of the day); `to` before `from` runs past midnight. */
function inSlot(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}
