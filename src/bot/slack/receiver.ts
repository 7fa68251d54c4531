import type { App, Receiver } from '@slack/bolt';
import { jsonTooDeep } from '../../http/json-depth.js';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import { json, text } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { checkSlackPayload } from './check-payload.js';
import { verifySlackSignature } from './verify-signature.js';

/**
 * bolt's transport seam for `POST /slack/events` on the bot's own HTTP server
 * (bolt's HTTPReceiver would open a second server). Verifies Slack's signature
 * (with its 5-minute window, both ways) before parsing anything, checks the
 * payload's shape (400 for a malformed one, 200 for one the desk does not
 * listen to), hands the rest to `app.processEvent`, and answers only after
 * processing finished, so every effect is in the outbox before Slack hears
 * "200" (like bolt's `processBeforeResponse`).
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly signingSecret: string,
    private readonly log: Logger,
    /** Resolves when the bot's identity is known; a rejection makes Slack retry later (503). */
    private readonly ready: () => Promise<unknown>,
  ) {}

  init(app: App): void { this.app = app; }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const signed = verifySlackSignature(this.signingSecret, req.rawBody, { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') });
    if (!signed.ok) {
      this.log.warn({ requestId: req.requestId, reason: signed.reason }, 'slack request with a bad or stale signature refused');
      return text(401, 'invalid signature');
    }
    const read = parseBody(req.rawBody.toString('utf8'), header(req, 'content-type') ?? '');
    if (!read) {
      this.log.warn({ requestId: req.requestId }, 'signed slack request with an unreadable body');
      return text(400, 'unreadable body');
    }
    const { body, form } = read;
    if (body.type === 'url_verification') {
      if (typeof body.challenge === 'string') return json(200, { challenge: body.challenge });
      this.log.warn({ requestId: req.requestId }, 'slack url_verification without a challenge refused');
      return text(400, 'url_verification needs a challenge');
    }
    if (body.ssl_check) return text(200, '');
    const check = checkSlackPayload(body, form);
    if (check.kind === 'malformed') {
      this.log.warn({ requestId: req.requestId, problems: check.problems }, 'signed slack payload of a malformed shape refused');
      return json(400, { error: 'malformed_payload', problems: check.problems });
    }
    if (check.kind === 'ignore') {
      this.log.debug({ requestId: req.requestId, what: check.what }, 'slack payload with no listener acknowledged');
      return text(200, '');
    }
    try {
      await this.ready();
    } catch (err) {
      this.log.warn({ err: String(err) }, 'slack identity unknown (auth.test failed); asking Slack to retry');
      return text(503, 'not ready', { 'retry-after': '5' });
    }
    let acked: unknown;
    let ackCalled = false;
    const retry = header(req, 'x-slack-retry-num');
    await this.app!.processEvent({
      body,
      ack: async (response?: unknown) => { ackCalled = true; acked = response; },
      ...(retry && /^\d{1,3}$/.test(retry) ? { retryNum: Number(retry) } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason')! } : {}),
      customProperties: { requestId: req.requestId },
    });
    if (!ackCalled) this.log.debug({ requestId: req.requestId, type: body.type }, 'slack payload with no listener');
    if (acked === undefined || acked === '') return text(200, '');
    return typeof acked === 'string' ? text(200, acked) : json(200, acked);
  }
}

/**
 * Events come as JSON; commands as a form; interactivity as a form with a
 * `payload` JSON field. Undefined for anything that is not a JSON object
 * (`payload=null`, `payload=[]`, broken JSON) or nests deeper than bolt and
 * the listeners should ever walk.
 */
function parseBody(raw: string, contentType: string): { body: Record<string, unknown>; form: boolean } | undefined {
  let jsonText = raw;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload === null) return { body: Object.fromEntries(form), form: true };
    jsonText = payload;
  }
  if (jsonTooDeep(jsonText)) return undefined;
  let parsed: unknown;
  try { parsed = JSON.parse(jsonText); } catch { return undefined; }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return { body: parsed as Record<string, unknown>, form: false };
}

function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
