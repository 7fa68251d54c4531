import type { Desk } from '../core/desk.js';
import type { Conversation, Seat } from '../core/model.js';
import { t } from '../i18n/format.js';
import { queueLanguage } from '../i18n/choose-language.js';

/**
 * Says in the thread who the desk gave the conversation to, mentioning them
 * where the thread's messenger knows them (SPEC §7: "told to the seat").
 */
export async function tellAssigned(desk: Desk, conv: Conversation, seat: Seat): Promise<void> {
  const messenger = desk.queueOf(conv).messenger;
  const user = seat.bindings.find((b) => b.platform === messenger)?.userId;
  await desk.notice(conv, t(queueLanguage(desk.settings, conv.queue), 'notice.assigned', { who: seat.name }), user);
}
