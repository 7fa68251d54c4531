import { createHmac, timingSafeEqual } from 'node:crypto';
import { dispatch } from '../../../src/handlers/dispatch.js';
import { jsonTooDeep } from '../../../src/http/json-depth.js';
import { text, type HttpRequest, type HttpResponse, type Route } from '../../../src/http/types.js';
import { cachedPing } from '../../../src/bot/kit/cached-ping.js';
import type { AdapterContext, MessengerAdapter } from '../../../src/bot/messenger-adapter.js';
import { processOnce } from '../../../src/bot/process-once.js';
import { EchoApi } from './api.js';
import { EchoDeliverer } from './deliver.js';
import { echoEventSchema, echoEventToUpdate } from './to-update.js';

export interface EchoSettings {
  apiUrl: string;
  /** The bot's bearer token towards Echo, and the HMAC key of the events Echo sends. */
  secret: string;
  /** The default queue's channel. */
  channel: string;
}

/**
 * Echo for the desk: a messenger that exists only in the tests, built from
 * the same shared pieces as Slack, Telegram and Discord. Events arrive as
 * signed JSON at `POST /echo/events` (`x-echo-signature: sha256=<HMAC of the
 * raw body>`, checked before the body is read), are processed once per event
 * id and dispatched as neutral updates; the outbox reaches Echo's API through
 * `EchoDeliverer`.
 */
export function createEchoAdapter(o: EchoSettings & AdapterContext): MessengerAdapter {
  const log = o.log.child({ messenger: 'echo' });
  const { desk } = o;
  const api = new EchoApi(o.apiUrl, o.secret);
  const deliverer = new EchoDeliverer(api, { desk, log, clock: o.clock });
  /** The channels the desk mirrors into; messages elsewhere are not the desk's. */
  const channels = new Set([o.channel, ...Object.values(desk.settings.queues).filter((q) => q.messenger === 'echo').map((q) => q.channel)]);
  const once = processOnce(o.dedupe, 'echo');
  let botId: Promise<string> | undefined;
  /** The bot's own user id, asked once (again after a failure). */
  const identity = (): Promise<string> => (botId ??= api.me().then((me) => me.id, (err: unknown) => { botId = undefined; throw err; }));

  async function receive(req: HttpRequest): Promise<HttpResponse> {
    if (!signedBy(o.secret, req)) {
      log.warn({ requestId: req.requestId }, 'echo event with a missing or wrong signature refused');
      return text(401, 'signature is wrong: x-echo-signature must be sha256=<hex HMAC-SHA256 of the raw body with ECHO_SECRET>');
    }
    if (jsonTooDeep(req.rawBody)) return text(400, 'nested too deep');
    let parsed: unknown;
    try { parsed = JSON.parse(req.rawBody.toString('utf8')); } catch { return text(400, 'unreadable body: send one JSON event'); }
    const event = echoEventSchema.safeParse(parsed);
    if (!event.success) {
      log.warn({ requestId: req.requestId }, 'echo event of an unknown shape refused');
      return text(400, 'not an Echo event: { id, type: "message", message: { id, channel, thread, user, text } }');
    }
    let me: string;
    try { me = await identity(); } catch (err) {
      log.warn({ err: String(err) }, 'Echo identity unknown (GET /api/me failed); asking Echo to retry');
      return text(503, 'not ready', { 'retry-after': '5' });
    }
    const update = echoEventToUpdate(event.data, me, channels);
    const outcome = await once(`event:${event.data.id}`, async () => { if (update) await dispatch(desk, update); });
    if (outcome === 'duplicate') log.debug({ eventId: event.data.id }, 'echo event already handled');
    return text(200, '');
  }

  const routes: Route[] = [{ method: 'POST', path: '/echo/events', handler: receive }];
  return {
    platform: 'echo',
    routes,
    deliverer,
    async start() {
      await identity().catch((err: unknown) => log.warn({ err: String(err) }, 'Echo GET /api/me failed at start; events are refused (503) until it works. Check ECHO_API_URL and ECHO_SECRET.'));
    },
    async stop() {},
    ping: cachedPing(() => api.me()),
  };
}

/** Constant-time check of `x-echo-signature` over the body's bytes as received. */
function signedBy(secret: string, req: HttpRequest): boolean {
  const given = req.headers['x-echo-signature'];
  const signature = Array.isArray(given) ? given[0] : given;
  if (!signature || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(req.rawBody).digest();
  return timingSafeEqual(Buffer.from(signature.slice(7), 'hex'), expected);
}
