import { RE_ENGAGEMENT } from './graph-errors.js';
import {
  signWhatsApp,
  statusWebhook,
  unixSeconds,
  type BusinessNumber,
  type WebhookStatus,
  type WhatsAppWebhookBody,
} from './webhooks.js';

/** One status webhook the fake tried to deliver, with the bot's answer. */
export interface StatusDelivery {
  wamid: string;
  status: WebhookStatus['status'];
  body: WhatsAppWebhookBody;
  rawBody: string;
  signature: string;
  /** HTTP status the bot answered; absent when the request itself failed. */
  responseStatus?: number;
  /** Network error text when the POST failed. */
  error?: string;
  time: number;
}

/** What the sender needs to know about the sent message. */
export interface SentRef {
  wamid: string;
  waId: string;
  isTemplate: boolean;
}

/**
 * Delivers `statuses[]` webhooks to the bot one at a time, in order, signed
 * with the App Secret like Meta signs them (`X-Hub-Signature-256`,
 * platform-facts.md §1 [W3]). Meta retries non-200 answers for days; the fake
 * records the answer and does not retry.
 */
export class StatusWebhookSender {
  readonly deliveries: StatusDelivery[] = [];
  #chain: Promise<void> = Promise.resolve();
  /** Bumped by `clear()` so updates queued before a reset are dropped. */
  #generation = 0;

  constructor(
    private readonly biz: BusinessNumber,
    /** Where status webhooks go; may be set after start (the bot's port is known only then). */
    public webhookUrl: string | undefined,
    private readonly appSecret: string | undefined,
    private readonly delayMs: number,
    private readonly now: () => number,
  ) {}

  /** Queues `sent`/`delivered`/`read` updates for an accepted message. */
  queueProgress(ref: SentRef, steps: ReadonlyArray<'sent' | 'delivered' | 'read'>): void {
    for (const step of steps) this.#queue(ref.wamid, () => this.#progressStatus(ref, step));
  }

  /**
   * Queues the `failed` update with error 131047 that follows a free-form send
   * outside the window (status errors shape: code, title, message,
   * error_data.details, href — Meta statuses and errors webhook references
   * [W2, W4]; a real 131047 example is quoted by enablex.io).
   */
  queueWindowFailure(ref: SentRef): void {
    this.queueFailure(ref, RE_ENGAGEMENT);
  }

  /** Queues a `failed` update with this error (131047 above; 131050 for a recipient who stopped marketing messages). */
  queueFailure(ref: SentRef, error: { code: number; title: string; details: string }): void {
    this.#queue(ref.wamid, () => ({
      id: ref.wamid,
      status: 'failed',
      timestamp: unixSeconds(this.now()),
      recipient_id: ref.waId,
      errors: [
        {
          code: error.code,
          title: error.title,
          message: error.title,
          error_data: { details: error.details },
          href: RE_ENGAGEMENT.href,
        },
      ],
    }));
  }

  /** Resolves once everything queued so far has been attempted. */
  async drain(): Promise<void> {
    await this.#chain;
  }

  clear(): void {
    this.#generation += 1;
    this.deliveries.length = 0;
  }

  #progressStatus(ref: SentRef, step: 'sent' | 'delivered' | 'read'): WebhookStatus {
    const status: WebhookStatus = {
      id: ref.wamid,
      status: step,
      timestamp: unixSeconds(this.now()),
      recipient_id: ref.waId,
    };
    if (step === 'read') return status;
    const origin = { type: ref.isTemplate ? 'utility' : 'service' };
    status.conversation =
      step === 'sent'
        ? { id: `conv-${ref.waId}`, expiration_timestamp: unixSeconds(this.now() + 86_400_000), origin }
        : { id: `conv-${ref.waId}`, origin };
    status.pricing = { billable: ref.isTemplate, pricing_model: 'PMP', category: origin.type };
    return status;
  }

  #queue(wamid: string, build: () => WebhookStatus): void {
    const url = this.webhookUrl;
    const secret = this.appSecret;
    if (url === undefined || secret === undefined) return;
    const generation = this.#generation;
    this.#chain = this.#chain.then(async () => {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (generation !== this.#generation) return;
      const body = statusWebhook(this.biz, [build()]);
      const rawBody = JSON.stringify(body);
      const signature = signWhatsApp(secret, rawBody);
      const record: StatusDelivery = {
        wamid,
        status: body.entry[0]!.changes[0]!.value.statuses![0]!.status,
        body,
        rawBody,
        signature,
        time: this.now(),
      };
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body: rawBody,
          signal: AbortSignal.timeout(5_000),
        });
        await res.arrayBuffer();
        record.responseStatus = res.status;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      if (generation === this.#generation) this.deliveries.push(record);
    });
  }
}
