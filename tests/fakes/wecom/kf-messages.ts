import { randomBytes } from 'node:crypto';

/**
 * Items of `sync_msg`'s `msg_list`, shaped as the kf docs describe them
 * (path/94670; fields per platform-facts.md §2 and go-workwx `docs/kf.md`):
 * `msgid, open_kfid, external_userid, send_time (unix s), origin, msgtype`
 * and one content object named after `msgtype`. Origin 3 = the customer,
 * 4 = a system event, 5 = a servicer typing in the WeCom client (what the
 * bot sends itself via `send_msg` is never returned). Event items carry
 * `open_kfid`/`external_userid` inside `event`, not at the top level.
 */
export interface KfMessage {
  msgid: string;
  open_kfid?: string;
  external_userid?: string;
  send_time: number;
  origin: 3 | 4 | 5;
  servicer_userid?: string;
  msgtype: string;
  [content: string]: unknown;
}

/** What a builder needs besides the content; `sendTime` in unix seconds. */
export interface MessageBase {
  externalUserId: string;
  openKfId: string;
  sendTime: number;
  msgid?: string;
}

/** A msgid like WeCom's: opaque, URL-safe, unique. */
export function newMsgId(): string {
  return randomBytes(18).toString('base64url');
}

function customerMessage(base: MessageBase, msgtype: string, content: Record<string, unknown>): KfMessage {
  return {
    msgid: base.msgid ?? newMsgId(),
    open_kfid: base.openKfId,
    external_userid: base.externalUserId,
    send_time: base.sendTime,
    origin: 3,
    msgtype,
    [msgtype]: content,
  };
}

export const kfMessage = {
  /** `text: {content, menu_id?}` (menu_id when the customer tapped a menu item). */
  text: (base: MessageBase, content: string, menuId?: string) =>
    customerMessage(base, 'text', { content, ...(menuId ? { menu_id: menuId } : {}) }),
  /** `image|voice|video|file: {media_id}`; the bytes come from `media/get` (kept 3 days). */
  image: (base: MessageBase, mediaId: string) => customerMessage(base, 'image', { media_id: mediaId }),
  voice: (base: MessageBase, mediaId: string) => customerMessage(base, 'voice', { media_id: mediaId }),
  video: (base: MessageBase, mediaId: string) => customerMessage(base, 'video', { media_id: mediaId }),
  file: (base: MessageBase, mediaId: string) => customerMessage(base, 'file', { media_id: mediaId }),
  /** `location: {latitude, longitude, name, address}`. */
  location: (base: MessageBase, place: { latitude: number; longitude: number; name: string; address: string }) =>
    customerMessage(base, 'location', { ...place }),
  /** `link: {title, desc, url, pic_url}`. */
  link: (base: MessageBase, link: { title: string; desc: string; url: string; pic_url: string }) =>
    customerMessage(base, 'link', { ...link }),
  /** A servicer's text typed in the WeCom client: origin 5 with `servicer_userid`; never customer text. */
  servicerText: (base: MessageBase, servicerUserId: string, content: string): KfMessage => ({
    ...customerMessage(base, 'text', { content }),
    origin: 5,
    servicer_userid: servicerUserId,
  }),
};

function eventMessage(base: MessageBase, eventType: string, fields: Record<string, unknown>): KfMessage {
  return {
    msgid: base.msgid ?? newMsgId(),
    send_time: base.sendTime,
    origin: 4,
    msgtype: 'event',
    event: { event_type: eventType, open_kfid: base.openKfId, external_userid: base.externalUserId, ...fields },
  };
}

export const kfEvent = {
  /** The customer opened the chat; `welcome_code` only when no welcome in 48 h and no message yet (valid 20 s, once). */
  enterSession: (base: MessageBase, options: { welcomeCode?: string; scene?: string; sceneParam?: string } = {}) =>
    eventMessage(base, 'enter_session', {
      scene: options.scene ?? '',
      scene_param: options.sceneParam ?? '',
      ...(options.welcomeCode ? { welcome_code: options.welcomeCode } : {}),
    }),
  /** A message the bot sent did not reach the customer; fail_type 4 = over 48 h, 6 = over 5 messages, 10 = refused… */
  msgSendFail: (base: MessageBase, failMsgId: string, failType: number) =>
    eventMessage(base, 'msg_send_fail', { fail_msgid: failMsgId, fail_type: failType }),
  /**
   * A servicer changed the session in the WeCom client: change_type 1 = took it from the pool,
   * 2 = transferred, 3 = ended, 4 = took an ended one back; msg_code only for 1 and 3.
   */
  sessionStatusChange: (
    base: MessageBase,
    change: { changeType: 1 | 2 | 3 | 4; oldServicerUserId?: string; newServicerUserId?: string; msgCode?: string },
  ) =>
    eventMessage(base, 'session_status_change', {
      change_type: change.changeType,
      ...(change.oldServicerUserId ? { old_servicer_userid: change.oldServicerUserId } : {}),
      ...(change.newServicerUserId ? { new_servicer_userid: change.newServicerUserId } : {}),
      ...(change.msgCode ? { msg_code: change.msgCode } : {}),
    }),
};
