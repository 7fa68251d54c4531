import { postKeptAlive } from '../support/post-kept-alive.js';
import { signWhatsApp, statusWebhook, unixSeconds, type WebhookStatus } from '../../tests/fakes/whatsapp/webhooks.js';
import type { SentMessage } from '../../tests/fakes/whatsapp/graph-fake-types.js';
import { SECRETS } from '../../tests/support/start-desk.js';

const BIZ = { phoneNumberId: SECRETS.phoneNumberId, displayPhoneNumber: '15550001111' };
const STEPS = ['sent', 'delivered', 'read'] as const;

/** One status webhook as the storm delivered it. */
export interface SentStatus {
  status: (typeof STEPS)[number];
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when the request failed. */
  code: number;
}

/** A status as Meta sends it for a service message (webhooks.ts types; the shape of status-webhook-sender.ts). */
function statusOf(s: SentMessage, step: (typeof STEPS)[number]): WebhookStatus {
  const base = { id: s.wamid, status: step, timestamp: unixSeconds(Date.now()), recipient_id: s.waId };
  if (step === 'read') return base;
  const origin = { type: 'service' };
  return {
    ...base,
    conversation: step === 'sent' ? { id: `conv-${s.waId}`, expiration_timestamp: unixSeconds(Date.now() + 86_400_000), origin } : { id: `conv-${s.waId}`, origin },
    pricing: { billable: false, pricing_model: 'PMP', category: 'service' },
  };
}

/**
 * The webhook storm statuses make: for every reply the Graph fake accepted,
 * Meta posts `sent`, `delivered` and `read`, each its own signed webhook to
 * `/webhooks/whatsapp`. Posted here, not by the fake's own sender (which
 * delivers all of them one at a time, so it would never storm): one message's
 * three go in order, each after the previous was answered; the messages' do
 * not wait for each other.
 */
export class StatusStorm {
  readonly sent: SentStatus[] = [];
  private readonly pending: Array<Promise<void>> = [];

  constructor(private readonly webhookUrl: string) {}

  answer(send: SentMessage): void {
    if (send.outcome !== 'accepted') return;
    this.pending.push((async () => {
      for (const step of STEPS) {
        const raw = JSON.stringify(statusWebhook(BIZ, [statusOf(send, step)]));
        const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(SECRETS.waAppSecret, raw) };
        const sentAt = Date.now();
        let code = 0;
        try {
          const res = await postKeptAlive(this.webhookUrl, headers, raw, 30_000);
          code = res.status;
          this.sent.push({ status: step, sentAt, answeredAt: res.answeredAt, code });
        } catch {
          this.sent.push({ status: step, sentAt, answeredAt: Date.now(), code });
        }
      }
    })());
  }

  /** Resolves when every status webhook queued so far has been answered (or failed). */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }
}
