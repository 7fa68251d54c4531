import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../whatsapp/wait-for.js';
import { AccessTokens } from './access-tokens.js';
import { buildKfCallback, buildUrlVerification, sendCallback, type CallbackDelivery, type CallbackSecrets } from './callbacks.js';
import type { Answer, FakeContext } from './fake-context.js';
import { readBody, writeJson } from './http-io.js';
import type { KfMessage } from './kf-messages.js';
import { getServiceState, recallMsg, sendMsg, sendMsgOnEvent, syncMsg, transServiceState } from './kf-routes.js';
import { MediaStore } from './media-store.js';
import { getMedia, uploadMedia } from './media-routes.js';
import { MessageLog } from './message-log.js';
import { Sessions } from './sessions.js';
import { SyncTokens } from './sync-tokens.js';
import { errorBody } from './wecom-errors.js';
import type { RequestRecord, WecomFake, WecomFakeOptions } from './wecom-fake-types.js';

export type { WecomFake, WecomFakeOptions } from './wecom-fake-types.js';

const HOUR_MS = 3600_000;
/** The official sample EncodingAESKey (platform-facts.md, appendix). */
const SAMPLE_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

/** JSON API routes behind an access token, by "METHOD path". */
const JSON_ROUTES: Record<string, (ctx: FakeContext, body: unknown) => Answer> = {
  'POST /cgi-bin/kf/sync_msg': syncMsg,
  'POST /cgi-bin/kf/send_msg': sendMsg,
  'POST /cgi-bin/kf/recall_msg': recallMsg,
  'POST /cgi-bin/kf/send_msg_on_event': sendMsgOnEvent,
  'POST /cgi-bin/kf/service_state/get': getServiceState,
  'POST /cgi-bin/kf/service_state/trans': transServiceState,
};

/**
 * Starts a local fake of the WeCom API for WeChat Customer Service on
 * 127.0.0.1 and a random port: `gettoken`, `kf/sync_msg`, `kf/send_msg`,
 * `kf/recall_msg`, `kf/send_msg_on_event`, `kf/service_state/get|trans`, `media/get` and
 * `media/upload`, every answer HTTP 200 with `errcode`/`errmsg` as WeCom's.
 * It enforces token expiry, sync tokens, the 48 h window, the 5-message
 * allowance and the service states, and it sends the encrypted callbacks
 * WeCom sends (URL verification, kf_msg_or_event) to the bot.
 */
export async function startWecomFake(options: WecomFakeOptions = {}): Promise<WecomFake> {
  const now = options.now ?? Date.now;
  const secrets: CallbackSecrets = {
    corpId: options.corpId ?? 'ww1234567890abcdef',
    token: options.callbackToken ?? 'QDG6eK',
    encodingAesKey: options.encodingAesKey ?? SAMPLE_AES_KEY,
  };
  const corpSecret = options.corpSecret ?? 'kf-secret-for-tests';
  const openKfIds = options.openKfIds ?? ['wkTestAccount0000000000001'];
  const defaultAccount = openKfIds[0]!;
  const accessTokens = new AccessTokens(options.tokenLifetimeMs ?? 2 * HOUR_MS, now);
  const ctx: FakeContext = {
    now,
    openKfIds,
    servicers: options.servicers,
    checkSyncToken: options.checkSyncToken ?? true,
    sessions: new Sessions(now, options.windowMs ?? 48 * HOUR_MS, options.allowance ?? 5),
    log: new MessageLog(),
    media: new MediaStore(now),
    syncTokens: new SyncTokens(options.syncTokenLifetimeMs ?? 10 * 60_000, now),
    sent: [],
    eventSends: [],
  };
  const requests: RequestRecord[] = [];
  const callbacks: CallbackDelivery[] = [];
  const injected: number[] = [];
  let origin = '';

  function answer(res: ServerResponse, record: RequestRecord, result: Answer): void {
    const { errcode, ...fields } = result;
    record.errcode = errcode;
    // WeCom writes errcode and errmsg first, then the result's fields.
    writeJson(res, errcode === 0 ? { errcode: 0, errmsg: 'ok', ...fields } : errorBody(errcode));
  }

  function getToken(url: URL): Answer {
    const corpId = url.searchParams.get('corpid');
    const secret = url.searchParams.get('corpsecret');
    if (!corpId) return { errcode: 41002 };
    if (!secret) return { errcode: 41004 };
    if (corpId !== secrets.corpId) return { errcode: 40013 };
    if (secret !== corpSecret) return { errcode: 40001 };
    const issued = accessTokens.issue();
    return { errcode: 0, access_token: issued.token, expires_in: issued.expiresIn };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (fake.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.latencyMs));
    const url = new URL(req.url ?? '/', origin);
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      errcode: 0,
      time: now(),
    };
    const known = key === 'GET /cgi-bin/gettoken' || key === 'GET /cgi-bin/media/get' || key === 'POST /cgi-bin/media/upload' || key in JSON_ROUTES;
    if (!known) {
      writeJson(res, { errcode: 404, errmsg: `no such API in the fake: ${key}` }, 404);
      return;
    }
    requests.push(record);
    const raw = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    if (raw === undefined) return answer(res, record, { errcode: 40006 });
    const failure = injected.shift();
    if (failure !== undefined) return answer(res, record, { errcode: failure });
    if (key === 'GET /cgi-bin/gettoken') return answer(res, record, getToken(url));

    const tokenCheck = accessTokens.check(url.searchParams.get('access_token'));
    if (tokenCheck !== 0) return answer(res, record, { errcode: tokenCheck });
    if (key === 'GET /cgi-bin/media/get') {
      const error = getMedia(ctx, url, res);
      if (error) answer(res, record, error);
      return;
    }
    if (key === 'POST /cgi-bin/media/upload') return answer(res, record, uploadMedia(ctx, url, req, raw));
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(res, record, { errcode: 47001 });
    }
    record.body = body;
    answer(res, record, JSON_ROUTES[key]!(ctx, body));
  }

  /** Applies what a pushed item means for the session, as WeCom would have done before serving it. */
  function observe(openKfId: string, message: KfMessage): void {
    const atMs = message.send_time * 1000;
    if (message.origin === 3 && message.external_userid) {
      ctx.sessions.customerWrote(openKfId, message.external_userid, atMs);
      return;
    }
    const event = message.msgtype === 'event' ? (message.event as Record<string, unknown> | undefined) : undefined;
    const customer = typeof event?.external_userid === 'string' ? event.external_userid : undefined;
    if (!event || !customer) return;
    if (event.event_type === 'enter_session' && typeof event.welcome_code === 'string') {
      ctx.sessions.issueCode('welcome', openKfId, customer, atMs, event.welcome_code);
    }
    if (event.event_type === 'session_status_change') {
      const servicer = typeof event.new_servicer_userid === 'string' ? event.new_servicer_userid : undefined;
      if (event.change_type === 3) ctx.sessions.force(openKfId, customer, 4);
      else ctx.sessions.force(openKfId, customer, 3, servicer);
      if (typeof event.msg_code === 'string') {
        ctx.sessions.issueCode(event.change_type === 3 ? 'end' : 'servicer', openKfId, customer, atMs, event.msg_code);
      }
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) writeJson(res, { errcode: -1, errmsg: `fake error: ${String(err)}` }, 500);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function callbackTarget(url: string | undefined): string {
    const target = url ?? fake.callbackUrl;
    if (!target) throw new Error('wecom fake: set callbackUrl (the bot\'s /webhooks/wechat URL) or pass url.');
    return target;
  }

  const fake: WecomFake = {
    url: origin,
    corpId: secrets.corpId,
    corpSecret,
    callbackToken: secrets.token,
    encodingAesKey: secrets.encodingAesKey,
    openKfId: defaultAccount,
    requests,
    sent: ctx.sent,
    eventSends: ctx.eventSends,
    callbacks,
    accessTokens,
    latencyMs: options.latencyMs ?? 0,
    callbackUrl: undefined,
    base(externalUserId, o = {}) {
      return {
        externalUserId,
        openKfId: o.openKfId ?? defaultAccount,
        sendTime: Math.floor((o.atMs ?? now()) / 1000),
        ...(o.msgid ? { msgid: o.msgid } : {}),
      };
    },
    push(...messages) {
      for (const message of messages) {
        const event = message.event as Record<string, unknown> | undefined;
        const account = message.open_kfid ?? (typeof event?.open_kfid === 'string' ? event.open_kfid : defaultAccount);
        ctx.log.push(account, message);
        observe(account, message);
      }
    },
    log: (openKfId = defaultAccount) => ctx.log.messages(openKfId),
    emptyPages: (n) => ctx.log.emptyPages(n),
    rewind: (count, openKfId = defaultAccount) => ctx.log.rewind(openKfId, count),
    serviceState(externalUserId, openKfId = defaultAccount) {
      const session = ctx.sessions.get(openKfId, externalUserId);
      return { state: session.state, ...(session.servicerUserId ? { servicerUserId: session.servicerUserId } : {}) };
    },
    setServiceState: (externalUserId, state, servicerUserId, openKfId = defaultAccount) =>
      ctx.sessions.force(openKfId, externalUserId, state, servicerUserId),
    allowanceLeft: (externalUserId, openKfId = defaultAccount) => ctx.sessions.allowanceLeft(openKfId, externalUserId),
    issueEventCode: (kind, externalUserId, openKfId = defaultAccount) => ctx.sessions.issueCode(kind, openKfId, externalUserId),
    addMedia(bytes, o) {
      return ctx.media.add({
        type: o.type ?? 'image',
        bytes: Buffer.from(bytes),
        contentType: o.contentType ?? 'image/jpeg',
        filename: o.filename ?? 'media.jpg',
        uploaded: false,
        ...(o.mediaId ? { mediaId: o.mediaId } : {}),
      }).mediaId;
    },
    uploads: () => ctx.media.all().filter((m) => m.uploaded),
    issueSyncToken: (openKfId = defaultAccount) => ctx.syncTokens.issue(openKfId),
    expireSyncTokens: () => ctx.syncTokens.expireAll(),
    expireAccessTokens: () => accessTokens.expireAll(),
    revokeAccessTokens: () => accessTokens.revokeAll(),
    failNext(n, errcode) {
      for (let i = 0; i < n; i += 1) injected.push(errcode);
    },
    async deliverKfCallback(o = {}) {
      const url = callbackTarget(o.url);
      const openKfId = o.openKfId ?? defaultAccount;
      const syncToken = o.syncToken ?? ctx.syncTokens.issue(openKfId);
      const built = buildKfCallback(secrets, { openKfId, syncToken, timestampS: Math.floor(now() / 1000) });
      const sent = await sendCallback(url, built);
      const delivery: CallbackDelivery = { kind: 'kf_msg_or_event', url, ...sent, syncToken, request: built };
      callbacks.push(delivery);
      return delivery;
    },
    async verifyCallbackUrl(o = {}) {
      const url = callbackTarget(o.url);
      const built = buildUrlVerification(secrets, { timestampS: Math.floor(now() / 1000), ...(o.echo ? { echo: o.echo } : {}) });
      const sent = await sendCallback(url, built);
      const delivery: CallbackDelivery = { kind: 'verify', url, ...sent, request: built };
      callbacks.push(delivery);
      return { ...delivery, echo: built.echo };
    },
    async replayCallback(previous) {
      const sent = await sendCallback(previous.url, previous.request);
      const delivery: CallbackDelivery = { ...previous, ...sent };
      callbacks.push(delivery);
      return delivery;
    },
    waitFor(predicate, timeoutMs) {
      return waitFor(() => predicate(fake), timeoutMs, 'wecom fake predicate');
    },
    reset() {
      requests.length = 0;
      ctx.sent.length = 0;
      ctx.eventSends.length = 0;
      callbacks.length = 0;
      injected.length = 0;
      ctx.log.clear();
      ctx.sessions.clear();
      ctx.media.clear();
      ctx.syncTokens.clear();
      accessTokens.revokeAll();
    },
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
