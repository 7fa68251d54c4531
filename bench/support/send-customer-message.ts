import { SECRETS } from '../../tests/support/start-desk.js';
import { postKeptAlive } from './post-kept-alive.js';
import { newWamid, signWhatsApp, textMessageWebhook } from '../../tests/fakes/whatsapp/webhooks.js';

/** The business number the bench's customers write to. */
const BIZ = { phoneNumberId: SECRETS.phoneNumberId, displayPhoneNumber: '15550001111' };

/** One customer message as the bench delivered it. */
export interface SentWebhook {
  text: string;
  from: string;
  /** `Date.now()` just before the POST left the client. */
  sentAt: number;
  /** `Date.now()` when the bot's response headers arrived: the webhook was accepted (or refused). */
  answeredAt: number;
  status: number;
}

/**
 * Delivers one signed WhatsApp text webhook, as Meta sends it, and times it.
 * Built here rather than with tests/support/actions.ts because the bench needs
 * the moment the response headers arrive, before the body is read.
 */
export async function sendCustomerMessage(botUrl: string, from: string, name: string, text: string): Promise<SentWebhook> {
  const raw = JSON.stringify(textMessageWebhook(BIZ, { from, name, body: text, id: newWamid() }));
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsApp(SECRETS.waAppSecret, raw) };
  const sentAt = Date.now();
  const { status, answeredAt } = await postKeptAlive(`${botUrl}/webhooks/whatsapp`, headers, raw);
  return { text, from, sentAt, answeredAt, status };
}

/**
 * A burst: every conversation's messages in order (each awaited, so their
 * order is defined), all conversations at once. Returns the webhooks as
 * answered and when the last one was accepted.
 */
export async function sendBurst(botUrl: string, conversations: readonly { from: string; name: string; texts: readonly string[] }[]): Promise<{ answers: SentWebhook[]; ingestedAt: number }> {
  const answers = (await Promise.all(conversations.map(async (c) => {
    const sent: SentWebhook[] = [];
    for (const text of c.texts) sent.push(await sendCustomerMessage(botUrl, c.from, c.name, text));
    return sent;
  }))).flat();
  return { answers, ingestedAt: Math.max(...answers.map((a) => a.answeredAt)) };
}
