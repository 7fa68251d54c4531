import { keys } from '../../core/keys.js';
import type { AtomicPort, KeyValuePort } from '../../core/ports.js';
import type { Failure } from '../../core/result.js';
import { readSentRecord } from '../../core/sent-messages.js';
import type { Logger } from '../../runtime/logger.js';
import type { Desk } from '../../core/desk.js';
import type { WecomClient } from './wecom-client.js';
import { WECHAT_ALLOWANCE, WECHAT_WINDOW_HOURS } from './allowance.js';
import { kfEventContent, type KfItem } from './sync-page.js';

/** Events are served again like messages (a rewound cursor); each is acted on once. */
const EVENT_MARK_MS = 4 * 24 * 3600_000;

export interface EventDeps {
  store: Pick<AtomicPort, 'setIfAbsent' | 'getString'> & Pick<KeyValuePort, 'get'>;
  log: Logger;
  /** The welcome on entry: the queue's words, sent with the event's code (absent: no welcome on entry). */
  greeting?: {
    desk: Pick<Desk, 'entryWelcome' | 'markWelcomed' | 'clock'>;
    client: Pick<WecomClient, 'post'>;
  };
  /** A reply WeCom accepted but could not deliver (msg_send_fail): told to the thread. */
  reportSendFailure: (convId: string, failure: Failure) => Promise<void>;
}

/**
 * A system event (origin 4) of `sync_msg`: `msg_send_fail` becomes a notice
 * in the thread of the reply that failed; `enter_session` and
 * `session_status_change` are logged (once each, by msgid).
 */
export async function handleEvent(d: EventDeps, openKfId: string, item: KfItem): Promise<void> {
  const parsed = kfEventContent.safeParse(item.event);
  if (!parsed.success) {
    d.log.warn({ openKfId, msgid: item.msgid }, 'a WeChat event of an unexpected shape was left out');
    return;
  }
  if (!(await d.store.setIfAbsent(keys.dedupe('wechat-event', item.msgid), '1', EVENT_MARK_MS))) return;
  const e = parsed.data;
  switch (e.event_type) {
    case 'msg_send_fail': {
      const sent = e.fail_msgid ? await readSentRecord(d.store, 'wechat', e.fail_msgid) : undefined;
      if (!sent) {
        d.log.info({ openKfId, failType: e.fail_type }, 'WeChat msg_send_fail for a message this desk did not send');
        return;
      }
      await d.reportSendFailure(sent.convId, sendFailure(e.fail_type));
      return;
    }
    case 'enter_session':
      d.log.info({ openKfId, hasWelcomeCode: Boolean(e.welcome_code) }, 'a WeChat customer entered the session');
      await greet(d, e.open_kfid ?? item.open_kfid ?? openKfId, e.external_userid ?? item.external_userid, e.welcome_code, item.send_time);
      return;
    case 'session_status_change':
      d.log.info({ openKfId, changeType: e.change_type }, 'a WeChat session changed state in the WeCom client');
      return;
    default:
      d.log.info({ openKfId, eventType: e.event_type }, 'a WeChat event the desk does not act on');
  }
}

/** `msg_send_fail`'s fail_type (platform-facts.md §2, corrections) as the failure the thread is told. */
export function sendFailure(failType: number | undefined): Failure {
  const channel = 'WeChat';
  if (failType === 4) return { code: 'window_closed', detail: { channel, windowHours: WECHAT_WINDOW_HOURS } };
  if (failType === 6) return { code: 'reply_allowance_used', detail: { channel, allowance: WECHAT_ALLOWANCE, windowHours: WECHAT_WINDOW_HOURS } };
  if (failType === 5) return { code: 'session_ended', detail: { channel } };
  const reasons: Record<number, string> = {
    1: 'the customer service account was deleted', 2: 'the app was closed', 8: 'the business is not verified',
    10: 'the customer refused messages', 11: 'no member is logged in', 12: 'this message type is not allowed',
  };
  return { code: 'channel_error', detail: { channel, reason: `msg_send_fail ${failType ?? 0}: ${reasons[failType ?? 0] ?? 'unknown'}` } };
}

/** A welcome code is good for 20 s after the event, once (platform-facts.md §2). */
const WELCOME_CODE_MS = 20_000;

/**
 * `enter_session` with a welcome code: the queue's welcome goes out with
 * `send_msg_on_event` (it costs nothing of the 5-message allowance, and
 * reaches a customer who has not written yet), and the customer's first
 * message then gets no second one. A code older than 20 s (a late pull) is
 * left: the welcome then follows the customer's first message as usual.
 */
async function greet(d: EventDeps, openKfId: string, externalUserId: string | undefined, code: string | undefined, sentAtSeconds: number): Promise<void> {
  if (!d.greeting || !code || !externalUserId) return;
  const { desk, client } = d.greeting;
  if (desk.clock.now() - sentAtSeconds * 1000 > WELCOME_CODE_MS) {
    d.log.info({ openKfId }, 'a WeChat welcome code arrived after its 20 s; the welcome follows the customer\'s first message instead');
    return;
  }
  const text = await desk.entryWelcome('wechat', openKfId, { id: externalUserId });
  if (!text) return;
  const sent = await client.post('/cgi-bin/kf/send_msg_on_event', { code, msgtype: 'text', text: { content: text } });
  if (!sent.ok) {
    d.log.warn({ openKfId, errcode: sent.error.errcode }, 'WeChat refused the welcome on entry; the welcome follows the customer\'s first message instead');
    return;
  }
  await desk.markWelcomed('wechat', openKfId, externalUserId);
}
