import type { Actor, Seat } from '../core/model.js';
import type { QueueRoute } from '../core/queue-router.js';
import { pickLanguage, type Lang } from './languages.js';

/** What choosing a language reads: the desk's language and its queues'. */
export interface LanguageSettings {
  readonly language?: string;
  readonly queues: Readonly<Record<string, Pick<QueueRoute, 'language'>>>;
}

/**
 * Whom a private text (an ephemeral answer, a DM, an alert) is for: a seat
 * reads its own language, else the desk's; someone with no seat (a refusal
 * to a stranger) reads the locale their messenger reported, else the desk's.
 */
export function readerLanguage(settings: LanguageSettings, seat: Pick<Seat, 'lang'> | undefined, actor?: Pick<Actor, 'locale'>): Lang {
  return seat ? pickLanguage(seat.lang, settings.language) : pickLanguage(actor?.locale, settings.language);
}

/**
 * What a queue speaks: to its customers, and in the posts everyone in its
 * channel sees (header cards, thread notices); else the desk's language.
 */
export function queueLanguage(settings: LanguageSettings, queue: string): Lang {
  const route = Object.hasOwn(settings.queues, queue) ? settings.queues[queue] : undefined;
  return pickLanguage(route?.language, settings.language);
}
