import { asObject, stringField, type Answer, type FakeContext } from './fake-context.js';
import { newMsgId } from './kf-messages.js';
import { MAX_LIMIT } from './message-log.js';
import { MEDIA_TYPES, type MediaType } from './media-store.js';
import type { ServiceState } from './sessions.js';

/** `text.content` is at most 2048 bytes (send_msg doc, path/94677). */
export const MAX_TEXT_BYTES = 2048;
/** A caller's msgid: at most 32 bytes of [0-9a-zA-Z_-] (send_msg doc). */
const MSGID = /^[0-9a-zA-Z_-]{1,32}$/;
/**
 * An unknown, used or expired send_msg_on_event code. The kf docs name no
 * errcode for it; 41050 is the global table's "invalid welcome code" (a
 * welcome code must be used within 20 s), the nearest documented meaning.
 */
export const INVALID_EVENT_CODE = 41050;

/** kf/recall_msg takes back a send_msg message only within 2 minutes of sending (recall_msg doc). */
export const RECALL_WINDOW_MS = 2 * 60_000;
/**
 * What the fake answers a recall it refuses (an unknown msgid, one already
 * recalled, one older than 2 minutes). The kf docs found name no errcode for
 * these (not verified), so this is the generic "invalid parameter" of the
 * global table, not WeCom's known answer: the bot must not decide on it.
 */
export const RECALL_REFUSED = 40058;

/** Checks a text body: 44004 empty, 45002 over 2048 bytes, else the content. */
function readText(body: Record<string, unknown>): { content: string } | { errcode: number } {
  const text = asObject(body.text);
  const content = text?.content;
  if (typeof content !== 'string' || content === '') return { errcode: 44004 };
  if (Buffer.byteLength(content, 'utf8') > MAX_TEXT_BYTES) return { errcode: 45002 };
  return { content };
}

/** POST /cgi-bin/kf/sync_msg `{cursor, token, limit, voice_format, open_kfid}`. */
export function syncMsg(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const cursor = body.cursor ?? '';
  const limit = body.limit ?? MAX_LIMIT;
  if (typeof cursor !== 'string' || Buffer.byteLength(cursor) > 64) return { errcode: 40058 };
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return { errcode: 40058 };
  const openKfId = stringField(body, 'open_kfid');
  if (!openKfId || !ctx.openKfIds.includes(openKfId)) return { errcode: 95000 };
  const token = stringField(body, 'token');
  // Without a token WeCom still answers, under stricter rate limits; a token it did not issue (or older than 10 min) is 95007.
  if (token && ctx.checkSyncToken && !ctx.syncTokens.isValid(token, openKfId)) return { errcode: 95007 };
  return ctx.log.page(openKfId, cursor, limit, Math.floor(ctx.now() / 1000));
}

/** POST /cgi-bin/kf/send_msg `{touser, open_kfid, msgid?, msgtype, text|image|voice|video|file}`. */
export function sendMsg(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const touser = stringField(body, 'touser');
  const openKfId = stringField(body, 'open_kfid');
  if (!touser) return { errcode: 40096 };
  if (!openKfId || !ctx.openKfIds.includes(openKfId)) return { errcode: 95000 };
  const given = body.msgid;
  if (given !== undefined && (typeof given !== 'string' || !MSGID.test(given))) return { errcode: 40058 };
  const msgtype = stringField(body, 'msgtype');
  let content: string | undefined;
  let mediaId: string | undefined;
  if (msgtype === 'text') {
    const text = readText(body);
    if ('errcode' in text) return text;
    content = text.content;
  } else if (msgtype && MEDIA_TYPES.includes(msgtype as MediaType)) {
    const media = asObject(body[msgtype]);
    mediaId = typeof media?.media_id === 'string' && media.media_id !== '' ? media.media_id : undefined;
    if (!mediaId) return { errcode: 41006 };
    if (!ctx.media.get(mediaId)) return { errcode: 40007 };
  } else {
    // link, miniprogram, msgmenu, location, business_card exist too; the bot sends none of them yet.
    return { errcode: 40008 };
  }
  const allowed = ctx.sessions.checkSend(openKfId, touser);
  if (allowed !== 0) return { errcode: allowed };
  ctx.sessions.recordSend(openKfId, touser);
  const msgid = typeof given === 'string' ? given : newMsgId();
  ctx.sent.push({
    touser,
    openKfId,
    msgid,
    msgtype,
    ...(content === undefined ? {} : { content }),
    ...(mediaId === undefined ? {} : { mediaId }),
    body,
    time: ctx.now(),
  });
  return { errcode: 0, msgid };
}

/** POST /cgi-bin/kf/send_msg_on_event `{code, msgid?, msgtype, text|msgmenu}`: one message per code. */
export function sendMsgOnEvent(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const code = stringField(body, 'code');
  if (!code) return { errcode: 40058 };
  const given = body.msgid;
  if (given !== undefined && (typeof given !== 'string' || !MSGID.test(given))) return { errcode: 40058 };
  const msgtype = stringField(body, 'msgtype');
  let content: string | undefined;
  if (msgtype === 'text') {
    const text = readText(body);
    if ('errcode' in text) return text;
    content = text.content;
  } else if (msgtype !== 'msgmenu' || !asObject(body.msgmenu)) {
    return { errcode: 40008 };
  }
  const used = ctx.sessions.peekCode(code);
  if (!used) return { errcode: INVALID_EVENT_CODE };
  // Menus are allowed only for the welcome and the end of session (path/95122's table).
  if (msgtype === 'msgmenu' && used.kind !== 'welcome' && used.kind !== 'end') return { errcode: 40008 };
  ctx.sessions.spendCode(code);
  const msgid = typeof given === 'string' ? given : newMsgId();
  ctx.eventSends.push({
    code,
    kind: used.kind,
    touser: used.externalUserId,
    openKfId: used.openKfId,
    msgid,
    msgtype,
    ...(content === undefined ? {} : { content }),
    body,
    time: ctx.now(),
  });
  return { errcode: 0, msgid };
}

function sessionOf(ctx: FakeContext, body: Record<string, unknown>): { openKfId: string; externalUserId: string } | Answer {
  const openKfId = stringField(body, 'open_kfid');
  const externalUserId = stringField(body, 'external_userid');
  if (!openKfId || !ctx.openKfIds.includes(openKfId)) return { errcode: 95000 };
  if (!externalUserId) return { errcode: 40096 };
  return { openKfId, externalUserId };
}

/** POST /cgi-bin/kf/service_state/get `{open_kfid, external_userid}`. */
export function getServiceState(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const who = sessionOf(ctx, body);
  if ('errcode' in who) return who;
  const session = ctx.sessions.get(who.openKfId, who.externalUserId);
  return { errcode: 0, service_state: session.state, servicer_userid: session.servicerUserId ?? '' };
}

/** POST /cgi-bin/kf/service_state/trans `{open_kfid, external_userid, service_state, servicer_userid?}`. */
export function transServiceState(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const who = sessionOf(ctx, body);
  if ('errcode' in who) return who;
  const target = body.service_state;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 0 || target > 4) return { errcode: 40058 };
  const servicer = stringField(body, 'servicer_userid');
  if (target === 3 && servicer && ctx.servicers && !ctx.servicers.includes(servicer)) return { errcode: 95014 };
  const result = ctx.sessions.trans(who.openKfId, who.externalUserId, target as ServiceState, servicer);
  if (result.errcode !== 0) return result;
  return 'msgCode' in result && result.msgCode ? { errcode: 0, msg_code: result.msgCode } : { errcode: 0 };
}

/** POST /cgi-bin/kf/recall_msg `{open_kfid, msgid}`: a message this account sent by send_msg within 2 minutes. */
export function recallMsg(ctx: FakeContext, raw: unknown): Answer {
  const body = asObject(raw);
  if (!body) return { errcode: 47001 };
  const openKfId = stringField(body, 'open_kfid');
  if (!openKfId || !ctx.openKfIds.includes(openKfId)) return { errcode: 95000 };
  const msgid = stringField(body, 'msgid');
  const sent = ctx.sent.find((m) => m.msgid === msgid && m.openKfId === openKfId);
  if (!sent || sent.recalled || ctx.now() - sent.time > RECALL_WINDOW_MS) return { errcode: RECALL_REFUSED };
  sent.recalled = true;
  return { errcode: 0 };
}
