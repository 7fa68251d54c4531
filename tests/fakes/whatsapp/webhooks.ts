import { createHmac } from 'node:crypto';
import { randomHex } from '../../../src/runtime/random-hex.js';

/**
 * Inbound webhook bodies shaped as Meta sends them, plus the signing and
 * posting a test needs to deliver them to the bot.
 *
 * Envelope (Meta "messages" webhook reference, platform-facts.md §1 [W1]):
 *   {object:'whatsapp_business_account', entry:[{id:<WABA id>, changes:[{
 *     field:'messages', value:{messaging_product:'whatsapp',
 *     metadata:{display_phone_number, phone_number_id}, contacts?, messages?,
 *     statuses?, errors?}}]}]}
 * `timestamp` is Unix seconds as a string; message ids start with "wamid.".
 */

/** The business number a webhook is addressed to (routing is on `phone_number_id`). */
export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber?: string;
  /** WhatsApp Business Account id, sent as `entry[].id`. */
  wabaId?: string;
}

export interface WebhookMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

export interface WebhookContact {
  profile: { name: string };
  wa_id: string;
}

export interface WebhookMedia {
  id: string;
  mime_type: string;
  sha256: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}

export interface WebhookMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  image?: WebhookMedia;
  document?: WebhookMedia;
  audio?: WebhookMedia;
  video?: WebhookMedia;
  sticker?: WebhookMedia;
  context?: { from: string; id: string };
  errors?: WebhookError[];
}

/** An error item as it appears in `statuses[].errors[]` and `value.errors[]` [W4]. */
export interface WebhookError {
  code: number;
  title: string;
  message?: string;
  error_data?: { details: string };
  href?: string;
}

/** One entry of `value.statuses[]` [W2, W3]. */
export interface WebhookStatus {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string };
  errors?: WebhookError[];
}

export interface WebhookValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: WebhookContact[];
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
  errors?: WebhookError[];
}

export interface WhatsAppWebhookBody {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ field: 'messages'; value: WebhookValue }> }>;
}

/** What every inbound customer message builder takes. */
export interface InboundMessageInput {
  from: string;
  /** Profile name shown in `contacts[].profile.name`. */
  name?: string;
  /** The message id; a random "wamid." id when omitted. */
  id?: string;
  /** When the customer wrote, in epoch milliseconds (sent as Unix seconds). */
  atMs?: number;
  /** Reply context: the customer quoted message `id` sent by `from`. */
  context?: { from: string; id: string };
}

/** The Unix-seconds string Meta uses for every `timestamp`. */
export function unixSeconds(atMs: number): string {
  return String(Math.floor(atMs / 1000));
}

/** A random message id in Meta's "wamid.<base64>" form, from a pool of random bytes (one per message sent and received, see handle-web-api.ts of the Slack fake). */
export function newWamid(): string {
  return `wamid.HBgL${Buffer.from(randomHex(24), 'hex').toString('base64')}`;
}

/** Wraps one `value` in the `whatsapp_business_account` envelope. */
export function wrapWebhookValue(
  biz: BusinessNumber,
  value: Omit<WebhookValue, 'messaging_product' | 'metadata'>,
): WhatsAppWebhookBody {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: biz.wabaId ?? '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: biz.displayPhoneNumber ?? '15550783881',
                phone_number_id: biz.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

function inboundEnvelope(
  biz: BusinessNumber,
  input: InboundMessageInput,
  message: Partial<WebhookMessage> & { type: string },
): WhatsAppWebhookBody {
  return wrapWebhookValue(biz, {
    contacts: [{ profile: { name: input.name ?? 'Test Customer' }, wa_id: input.from }],
    messages: [
      {
        from: input.from,
        id: input.id ?? newWamid(),
        timestamp: unixSeconds(input.atMs ?? Date.now()),
        ...(input.context ? { context: input.context } : {}),
        ...message,
      },
    ],
  });
}

/** A customer's text message: `messages[{type:'text', text:{body}}]`. */
export function textMessageWebhook(
  biz: BusinessNumber,
  input: InboundMessageInput & { body: string },
): WhatsAppWebhookBody {
  return inboundEnvelope(biz, input, { type: 'text', text: { body: input.body } });
}

/** Media kinds that arrive as `{id, mime_type, sha256, caption?}` under a key named after the type. */
export type MediaKind = 'image' | 'document' | 'audio' | 'video' | 'sticker';

/**
 * A customer's media message, e.g. `{type:'image', image:{id, mime_type,
 * sha256, caption?}}`; the bot fetches the bytes with `GET /<media-id>`.
 * Documents may carry `filename`, voice notes `voice:true`.
 */
export function mediaMessageWebhook(
  biz: BusinessNumber,
  input: InboundMessageInput & { type: MediaKind; media: WebhookMedia },
): WhatsAppWebhookBody {
  return inboundEnvelope(biz, input, { type: input.type, [input.type]: input.media });
}

/**
 * Inbound messages of any type exactly as given (content objects, numeric
 * timestamps, senders without `from`), with the change's `contacts[]`: for
 * payloads the typed builders above cannot express. One change holds them all,
 * as Meta batches messages of one number.
 */
export function rawMessagesWebhook(biz: BusinessNumber, messages: readonly Record<string, unknown>[], contacts: readonly Record<string, unknown>[] = []): unknown {
  const envelope = wrapWebhookValue(biz, {}) as unknown as { entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }> };
  const value = envelope.entry[0]!.changes[0]!.value;
  if (contacts.length) value.contacts = [...contacts];
  value.messages = [...messages];
  return envelope;
}

/** A status update for messages the business sent: `value.statuses[]`, no contacts. */
export function statusWebhook(biz: BusinessNumber, statuses: WebhookStatus[]): WhatsAppWebhookBody {
  return wrapWebhookValue(biz, { statuses });
}

/** A system-level error notification: `value.errors[]` [W4]. */
export function errorsWebhook(biz: BusinessNumber, errors: WebhookError[]): WhatsAppWebhookBody {
  return wrapWebhookValue(biz, { errors });
}

/**
 * `X-Hub-Signature-256` value: "sha256=" + hex HMAC-SHA256 of the raw body
 * keyed with the App Secret (WhatsApp-Nodejs-SDK `src/utils.ts`,
 * platform-facts.md §1 [W3]).
 */
export function signWhatsApp(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody, 'utf8').digest('hex')}`;
}

/** How `postWebhook` signs and serialises. */
export interface PostWebhookOptions {
  /** Omitted: computed over the raw body. `null`: no header at all. A string: sent as is. */
  signature?: string | null;
  /** Exact bytes to send instead of `JSON.stringify(body)` (the signature covers these). */
  rawBody?: string;
}

/** What the bot answered. */
export interface HttpAnswer {
  status: number;
  text: string;
}

/** POSTs a webhook body to `${botBaseUrl}/webhooks/whatsapp` signed as Meta signs it. */
export async function postWebhook(
  botBaseUrl: string,
  appSecret: string,
  body: unknown,
  options: PostWebhookOptions = {},
): Promise<HttpAnswer> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signWhatsApp(appSecret, raw) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${trimSlash(botBaseUrl)}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

/**
 * The subscription handshake Meta performs: `GET /webhooks/whatsapp?hub.mode=
 * subscribe&hub.verify_token=…&hub.challenge=…`; a correct bot echoes the
 * challenge with 200 and refuses a wrong token (platform-facts.md §1 [W3]).
 */
export async function verifyHandshake(
  botBaseUrl: string,
  params: { mode: string; token: string; challenge: string },
): Promise<HttpAnswer> {
  const query = new URLSearchParams({
    'hub.mode': params.mode,
    'hub.verify_token': params.token,
    'hub.challenge': params.challenge,
  });
  const res = await fetch(`${trimSlash(botBaseUrl)}/webhooks/whatsapp?${query.toString()}`);
  return { status: res.status, text: await res.text() };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
