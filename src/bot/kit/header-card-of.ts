import type { Desk } from '../../core/desk.js';
import { headerCard, type HeaderCard } from '../../core/header-card.js';
import type { Clock } from '../../core/ports.js';
import type { Conversation } from '../../core/model.js';
import { queueLanguage } from '../../i18n/choose-language.js';

/** The header card of a conversation as it stands now: who claimed it, by name, in its queue's language. */
export async function headerCardOf(desk: Pick<Desk, 'conversations' | 'nameOf' | 'settings'>, clock: Clock, conv: Conversation): Promise<HeaderCard> {
  const claimer = await desk.conversations.claimer(conv.id);
  const hours = desk.settings.queues[conv.queue]?.service?.hours;
  return headerCard(conv, claimer ? await desk.nameOf(claimer) : undefined, clock.now(), desk.settings.channels, queueLanguage(desk.settings, conv.queue), hours);
}
