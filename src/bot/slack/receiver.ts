import { isValidSlackRequest, type App, type Receiver } from '@slack/bolt';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import { json, text } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';

/**
 * bolt's transport seam for `POST /slack/events` on the bot's own HTTP server
 * (bolt's HTTPReceiver would open a second server). Verifies Slack's signature
 * (with its 5-minute window) before parsing anything, hands the payload to
 * `app.processEvent`, and answers only after processing finished, so every
 * effect is in the outbox before Slack hears "200" (like bolt's
 * `processBeforeResponse`).
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
    const raw = req.rawBody.toString('utf8');
    const signature = header(req, 'x-slack-signature');
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    if (!signature || !Number.isFinite(timestamp) || !isValidSlackRequest({ signingSecret: this.signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
      this.log.warn({ requestId: req.requestId, hasSignature: Boolean(signature) }, 'slack request with a bad or stale signature refused');
      return text(401, 'invalid signature');
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, header(req, 'content-type') ?? '');
    } catch {
      this.log.warn({ requestId: req.requestId }, 'signed slack request with an unreadable body');
      return text(400, 'unreadable body');
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') return json(200, { challenge: body.challenge });
    if (body.ssl_check) return text(200, '');
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
      ...(retry ? { retryNum: Number(retry) } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason')! } : {}),
      customProperties: { requestId: req.requestId },
    });
    if (!ackCalled) this.log.debug({ requestId: req.requestId, type: body.type }, 'slack payload with no listener');
    if (acked === undefined || acked === '') return text(200, '');
    return typeof acked === 'string' ? text(200, acked) : json(200, acked);
  }
}

/** Events come as JSON; commands as a form; interactivity as a form with a `payload` JSON field. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
    return Object.fromEntries(form);
  }
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
