import type { GraphErrorSpec } from './graph-errors.js';
import type { StatusDelivery } from './status-webhook-sender.js';
import type { FakeTemplate, TemplateSpec } from './templates.js';
import type { FakeUpload } from './media-upload.js';

/** How `startGraphFake` behaves; only the token and phone number id are required. */
export interface GraphFakeOptions {
  /** The only bearer token the fake accepts. */
  accessToken: string;
  /** The business phone number id served at `/{version}/{id}/messages`. */
  phoneNumberId: string;
  /** Path version in `fake.url`; requests under any `vNN.N` are served. Default 'v21.0'. */
  apiVersion?: string;
  /** Sent as `metadata.display_phone_number` in status webhooks. */
  displayPhoneNumber?: string;
  /** Sent as `entry[].id` in status webhooks. */
  wabaId?: string;
  /** Signs status webhooks (`X-Hub-Signature-256`). Without it no webhook is sent. */
  appSecret?: string;
  /** The bot's `/webhooks/whatsapp` URL for status webhooks. */
  webhookUrl?: string;
  /** Messages per second per number (Meta default 80); `false` = unlimited. */
  throughput?: number | false;
  /**
   * Per-recipient pair rate: one token every `intervalMs`, up to `burst`. Default 6000 ms with bursts of 45
   * (Meta's throughput page: 1 message per 6 s to one user, bursts of up to 45 borrowed from later); `false` = off.
   */
  pairRate?: { intervalMs: number; burst?: number } | false;
  /** HTTP statuses for the two rate errors. Default throughput 400, pair 429 (see graph-errors.ts). */
  rateLimitStatus?: { throughput?: number; pair?: number };
  /** Length of the customer service window. Default 24 h. */
  windowMs?: number;
  /**
   * How a free-form send outside the window fails. 'webhook' (default): 200 +
   * wamid, then a `failed` status webhook with error 131047. 'sync': HTTP 400
   * with code 131047.
   */
  windowClosed?: 'webhook' | 'sync';
  /** Status webhooks after an accepted send: `true` = sent, delivered, read. Default none. */
  deliverStatuses?: boolean | ReadonlyArray<'sent' | 'delivered' | 'read'>;
  /** Send the 131047 `failed` status webhook. Default true (needs webhookUrl and appSecret). */
  deliverFailures?: boolean;
  /** Pause before each status webhook. Default 0. */
  statusDelayMs?: number;
  /** Templates listed from the start (more with `addTemplate`). */
  templates?: readonly TemplateSpec[];
  /** Clock for windows, budgets and timestamps. Default `Date.now`. */
  now?: () => number;
}

/** One send the fake answered with 200. */
export interface SentMessage {
  /** `to` exactly as the bot sent it. */
  to: string;
  /** Normalised recipient (digits only). */
  waId: string;
  type: string;
  text?: string;
  context?: { message_id: string };
  template?: { name: string; language: { code: string } };
  /** The parsed request body. */
  body: Record<string, unknown>;
  time: number;
  wamid: string;
  /** 'accepted', or 'failed_window' when a 131047 `failed` webhook follows. */
  outcome: 'accepted' | 'failed_window';
}

/** One request the fake answered with a Graph error. */
export interface RejectedRequest {
  method: string;
  path: string;
  status: number;
  code: number;
  /** Recipient, for sends that got as far as parsing. */
  to?: string;
  time: number;
}

/** A failure to inject with `failNext`. */
export interface InjectedFailure {
  status: number;
  code: number;
  message: string;
  subcode?: number;
  type?: string;
  details?: string;
}

/** Media the fake serves. */
export interface FakeMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  /** Hex SHA-256 of the bytes, as in the media metadata. */
  sha256: string;
}

/** A running Graph API fake. */
export interface GraphFake {
  /** `http://127.0.0.1:<port>/<apiVersion>`: the bot's `WHATSAPP_API_URL`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly sent: SentMessage[];
  /** Media the bot uploaded (`POST /{phone-number-id}/media`), in order. */
  readonly uploads: FakeUpload[];
  readonly rejected: RejectedRequest[];
  readonly statusDeliveries: StatusDelivery[];
  /** Message ids the bot marked read. */
  readonly markedRead: string[];
  /** The templates `GET /{waba-id}/message_templates` lists (cursor paging), and template sends are checked against. */
  readonly templates: readonly FakeTemplate[];
  /** The WhatsApp Business Account id the fake serves templates under. */
  readonly wabaId: string;
  /** Adds a template (approved unless `status` says otherwise). */
  addTemplate(spec: TemplateSpec): FakeTemplate;
  /** The customer stopped marketing messages: a template to them is accepted, then fails with 131050 by webhook. */
  stopMarketing(waId: string): void;
  /** The bot's webhook URL for status webhooks; may be set after the bot started. */
  webhookUrl: string | undefined;
  /** How window-closed sends fail; may be switched during a test. */
  windowClosed: 'webhook' | 'sync';
  /** Records that customer `waId` wrote at `atMs` (default now): opens their window. */
  customerWrote(waId: string, atMs?: number): void;
  /** Forces a customer's window open (default) or closed, ignoring timestamps. */
  windowOpen(waId: string, open?: boolean): void;
  /** Opens windows for every `messages[].from` in an inbound webhook body. */
  observeInbound(body: unknown): void;
  /** Serves `bytes` as media `id`; returns what `GET /<id>` will describe. */
  addMedia(id: string, bytes: Uint8Array, mimeType: string): FakeMedia;
  /** The next `n` Graph API calls (sends, media lookups) answer with this error. */
  failNext(n: number, failure: InjectedFailure): void;
  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
  waitFor<T>(predicate: (fake: GraphFake) => T | undefined | null | false, timeoutMs?: number): Promise<NonNullable<T>>;
  /** Resolves when every queued status webhook has been attempted. */
  settle(): Promise<void>;
  /** Forgets sends, errors, windows, budgets, media, injections and deliveries. */
  reset(): void;
  close(): Promise<void>;
}

/** Converts an injected failure into the envelope spec. */
export function injectedToSpec(failure: InjectedFailure): GraphErrorSpec {
  return {
    status: failure.status,
    code: failure.code,
    message: failure.message,
    ...(failure.subcode === undefined ? {} : { subcode: failure.subcode }),
    ...(failure.type === undefined ? {} : { type: failure.type }),
    ...(failure.details === undefined ? {} : { details: failure.details }),
  };
}
