import type { AccessTokens } from './access-tokens.js';
import type { CallbackDelivery } from './callbacks.js';
import type { KfMessage, MessageBase } from './kf-messages.js';
import type { MediaType, StoredMedia } from './media-store.js';
import type { EventCodeKind, ServiceState } from './sessions.js';

/** How `startWecomFake` behaves; everything has a default. */
export interface WecomFakeOptions {
  /** The corp id `gettoken` accepts and callbacks carry as receive id. Default 'ww1234567890abcdef'. */
  corpId?: string;
  /** The WeChat Customer Service secret `gettoken` accepts. Default 'kf-secret-for-tests'. */
  corpSecret?: string;
  /** The callback Token (WECOM_TOKEN). Default 'QDG6eK'. */
  callbackToken?: string;
  /** The 43-character EncodingAESKey (WECOM_ENCODING_AES_KEY). Default the official sample key. */
  encodingAesKey?: string;
  /** Accounts (open_kfid) the fake knows; others answer 95000. Default ['wkTestAccount0000000000001']. */
  openKfIds?: string[];
  /** Servicers `trans` to state 3 accepts; absent = any non-empty userid. */
  servicers?: string[];
  /** Access token lifetime. Default 7200 s. */
  tokenLifetimeMs?: number;
  /** `sync_msg` callback token lifetime. Default 10 min. */
  syncTokenLifetimeMs?: number;
  /** Check `sync_msg`'s `token` (unknown or expired → 95007). Default true. */
  checkSyncToken?: boolean;
  /** The reply window after a customer message. Default 48 h. */
  windowMs?: number;
  /** Messages allowed per customer message within the window. Default 5. */
  allowance?: number;
  /** Delay before every answer. Default 0. */
  latencyMs?: number;
  /** Clock for tokens, windows, codes and media expiry (ms). Default `Date.now`. */
  now?: () => number;
}

/** One API request and how the fake answered it. */
export interface RequestRecord {
  method: string;
  /** Path without the query, e.g. '/cgi-bin/kf/send_msg'. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
  /** The errcode answered (0 for success; media bytes count as 0). */
  errcode: number;
  time: number;
}

/** One message `send_msg` accepted. */
export interface SentKfMessage {
  touser: string;
  openKfId: string;
  msgid: string;
  msgtype: string;
  /** `text.content` for text messages. */
  content?: string;
  /** `media_id` for image, voice, video and file messages. */
  mediaId?: string;
  body: Record<string, unknown>;
  /** Taken back by kf/recall_msg: the customer no longer sees it. */
  recalled?: true;
  time: number;
}

/** One message `send_msg_on_event` accepted. */
export interface EventSend {
  code: string;
  kind: EventCodeKind;
  touser: string;
  openKfId: string;
  msgid: string;
  msgtype: string;
  content?: string;
  body: Record<string, unknown>;
  time: number;
}

/** A running WeCom API fake. */
export interface WecomFake {
  /** `http://127.0.0.1:<port>`: the bot's WECOM_API_URL (paths start with /cgi-bin/). */
  readonly url: string;
  readonly corpId: string;
  readonly corpSecret: string;
  readonly callbackToken: string;
  readonly encodingAesKey: string;
  /** The first configured account. */
  readonly openKfId: string;
  readonly requests: RequestRecord[];
  readonly sent: SentKfMessage[];
  readonly eventSends: EventSend[];
  readonly callbacks: CallbackDelivery[];
  readonly accessTokens: AccessTokens;
  /** Delay before every answer; may be changed during a test. */
  latencyMs: number;
  /** The bot's callback URL (`…/webhooks/wechat`) for `deliver…`; may be set after the bot started. */
  callbackUrl: string | undefined;

  /** A message base for `kfMessage.*`/`kfEvent.*`: the default account, send_time now (or `atMs`). */
  base(externalUserId: string, options?: { atMs?: number; openKfId?: string; msgid?: string }): MessageBase;
  /**
   * Appends items to their account's log. Customer messages (origin 3) open the window and restore
   * the allowance from their send_time; enter_session's welcome_code and session_status_change's
   * msg_code become usable codes; session_status_change moves the state as the servicer did.
   */
  push(...messages: KfMessage[]): void;
  /** The log of an account (default the first). */
  log(openKfId?: string): readonly KfMessage[];
  /** The next `n` sync_msg pages are empty with has_more 1. */
  emptyPages(n: number): void;
  /** The next sync_msg page of the account starts `count` messages earlier (re-serves msgids). */
  rewind(count: number, openKfId?: string): void;

  serviceState(externalUserId: string, openKfId?: string): { state: ServiceState; servicerUserId?: string };
  /** Forces a state, as a servicer acting in the WeCom client would. */
  setServiceState(externalUserId: string, state: ServiceState, servicerUserId?: string, openKfId?: string): void;
  /** Messages `send_msg` would still accept for the customer now. */
  allowanceLeft(externalUserId: string, openKfId?: string): number;
  /** A send_msg_on_event code, as an event or `trans` would give (valid from now). */
  issueEventCode(kind: EventCodeKind, externalUserId: string, openKfId?: string): string;

  /** Serves bytes at `media/get` (a customer's image, voice…); returns the media_id. */
  addMedia(bytes: Uint8Array, options: { type?: MediaType; contentType?: string; filename?: string; mediaId?: string }): string;
  /** Media the bot uploaded with `media/upload`. */
  uploads(): StoredMedia[];

  /** A sync token for the account, valid `syncTokenLifetimeMs` from now. */
  issueSyncToken(openKfId?: string): string;
  /** Ends every sync token now (→ 95007). */
  expireSyncTokens(): void;
  /** Ends every access token now (→ 42001). */
  expireAccessTokens(): void;
  /** Forgets every access token (→ 40014). */
  revokeAccessTokens(): void;
  /** The next `n` API calls (gettoken included) answer this errcode, e.g. 45009 "api freq out of limit". */
  failNext(n: number, errcode: number): void;

  /** POSTs an encrypted kf_msg_or_event notice with a fresh sync token to `callbackUrl` (or `url`). */
  deliverKfCallback(options?: { openKfId?: string; syncToken?: string; url?: string }): Promise<CallbackDelivery>;
  /**
   * Sends a delivered callback again, byte for byte: WeCom retries a notice it got no answer
   * to within 5 s, up to 3 times (platform-facts.md §2).
   */
  replayCallback(delivery: CallbackDelivery): Promise<CallbackDelivery>;
  /** Sends the GET URL verification; `delivery.body` must equal `echo`. */
  verifyCallbackUrl(options?: { url?: string; echo?: string }): Promise<CallbackDelivery & { echo: string }>;

  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
  waitFor<T>(predicate: (fake: WecomFake) => T | undefined | null | false, timeoutMs?: number): Promise<NonNullable<T>>;
  /** Forgets logs, sends, sessions, media, tokens, injections and records. */
  reset(): void;
  close(): Promise<void>;
}
