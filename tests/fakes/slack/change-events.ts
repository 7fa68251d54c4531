import { messageEvent, nextMessageTs, type BotRequest } from './bot-payloads.js';
import type { StoredMessage } from './fake-state.js';

/** The nested message of a change event, as Slack shows it (docs.slack.dev message_changed / message_deleted examples). */
function nested(m: StoredMessage, text: string): Record<string, unknown> {
  return { type: 'message', user: m.user, text, ts: m.ts, team: m.team, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(m.bot_id ? { bot_id: m.bot_id } : {}) };
}

/**
 * A person edited `m` (its text was `previousText`): Slack's `message_changed`,
 * `hidden`, with the new `message` (its own ts, and `edited`) and the
 * `previous_message`; the event's own `ts` is the moment of the edit.
 */
export function messageChanged(m: StoredMessage, previousText: string, o: { eventId?: string } = {}): BotRequest {
  const at = nextMessageTs();
  const req = messageEvent({
    channel: m.channel, text: '', subtype: 'message_changed', ts: at, team: m.team, ...(o.eventId ? { event_id: o.eventId } : {}),
    extra: { hidden: true, message: { ...nested(m, m.text), edited: { user: m.edited?.user ?? m.user, ts: at } }, previous_message: nested(m, previousText) },
  });
  return withoutTopText(req);
}

/** `m` was deleted: Slack's `message_deleted`, `hidden`, naming it by `deleted_ts`, with the `previous_message` (no deleter). */
export function messageDeleted(m: StoredMessage, o: { eventId?: string } = {}): BotRequest {
  const req = messageEvent({
    channel: m.channel, text: '', subtype: 'message_deleted', ts: nextMessageTs(), team: m.team, ...(o.eventId ? { event_id: o.eventId } : {}),
    extra: { hidden: true, deleted_ts: m.ts, previous_message: nested(m, m.text) },
  });
  return withoutTopText(req);
}

/** Change events carry their text only inside `message` / `previous_message`. */
function withoutTopText(req: BotRequest): BotRequest {
  const payload = req.payload as { event: Record<string, unknown> };
  delete payload.event.text;
  return { ...req, payload, body: JSON.stringify(payload) };
}
