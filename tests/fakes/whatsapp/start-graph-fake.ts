import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CustomerWindows, toWaId } from './customer-windows.js';
import {
  graphErrorBody,
  invalidParameterError,
  invalidTokenError,
  pairRateError,
  reEngagementError,
  throughputError,
  unknownObjectError,
  unknownPathError,
  type GraphErrorSpec,
} from './graph-errors.js';
import {
  injectedToSpec,
  type FakeMedia,
  type GraphFake,
  type GraphFakeOptions,
  type InjectedFailure,
  type RejectedRequest,
  type SentMessage,
} from './graph-fake-types.js';
import { SlidingWindowBudget, TokenBucketBudget } from './rate-budgets.js';
import { readRawBody } from './read-raw-body.js';
import { readUpload, type FakeUpload } from './media-upload.js';
import { StatusWebhookSender } from './status-webhook-sender.js';
import { validateSendBody, type ValidSend } from './validate-send-body.js';
import { waitFor } from './wait-for.js';
import { newWamid, type WhatsAppWebhookBody } from './webhooks.js';
import { writeJson } from './write-json.js';
import { STOPPED_MARKETING, TemplateBook } from './templates.js';

export type { GraphFake, GraphFakeOptions, InjectedFailure, SentMessage } from './graph-fake-types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Graph paths start with a version such as "v21.0"; any version is served. */
const VERSION = /^v\d+\.\d+$/;
/** Where media bytes are served, mirroring lookaside.fbsbx.com/whatsapp_business/attachments/. */
const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/**
 * Starts a local fake of the WhatsApp Cloud API (Graph API) on 127.0.0.1 and a
 * random port. It serves `POST /{version}/{phone-number-id}/messages`,
 * `POST /{version}/{phone-number-id}/media` (uploads, see media-upload.ts),
 * `GET /{version}/{media-id}` (plus the bearer-protected download URL it
 * returns), `GET /{version}/{waba-id}/message_templates` (paged; sends of
 * a template are checked against it: 132001, 132000, and 131050 by webhook
 * for a customer who stopped marketing messages) and
 * `GET /{version}/{phone-number-id}`, enforces the access token,
 * the 24-hour window, throughput and pair rate, and delivers signed status
 * webhooks to `webhookUrl`. Shapes and error bodies: see graph-errors.ts,
 * validate-send-body.ts and webhooks.ts.
 */
export async function startGraphFake(options: GraphFakeOptions): Promise<GraphFake> {
  const now = options.now ?? Date.now;
  const apiVersion = options.apiVersion ?? 'v21.0';
  const biz = {
    phoneNumberId: options.phoneNumberId,
    displayPhoneNumber: options.displayPhoneNumber ?? '15550783881',
    wabaId: options.wabaId ?? '102290129340398',
  };
  const windows = new CustomerWindows(options.windowMs ?? DAY_MS);
  const throughput =
    options.throughput === false ? undefined : new SlidingWindowBudget(options.throughput ?? 80, 1000);
  const pairRate =
    options.pairRate === false
      ? undefined
      : new TokenBucketBudget(options.pairRate?.intervalMs ?? 6000, options.pairRate?.burst ?? 45);
  const progressSteps =
    options.deliverStatuses === true
      ? (['sent', 'delivered', 'read'] as const)
      : options.deliverStatuses === false || options.deliverStatuses === undefined
        ? []
        : options.deliverStatuses;
  const statuses = new StatusWebhookSender(
    biz,
    options.webhookUrl,
    options.appSecret,
    options.statusDelayMs ?? 0,
    now,
  );
  const media = new Map<string, FakeMedia>();
  const injected: InjectedFailure[] = [];
  const sent: SentMessage[] = [];
  const uploads: FakeUpload[] = [];
  const rejected: RejectedRequest[] = [];
  const markedRead: string[] = [];
  const templates = new TemplateBook();
  for (const spec of options.templates ?? []) templates.add(spec);
  /** Recipients who stopped marketing messages: a template to them fails with 131050. */
  const stoppedMarketing = new Set<string>();
  let origin = '';

  function reject(req: IncomingMessage, res: ServerResponse, path: string, spec: GraphErrorSpec, to?: string): void {
    rejected.push({
      method: req.method ?? 'GET',
      path,
      status: spec.status,
      code: spec.code,
      time: now(),
      ...(to ? { to } : {}),
    });
    writeJson(res, spec.status, graphErrorBody(spec), spec.headers);
  }

  function bearerToken(req: IncomingMessage, url: URL): string | undefined {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
    return url.searchParams.get('access_token') ?? undefined;
  }

  async function handleSend(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readRawBody(req));
    } catch {
      reject(req, res, path, invalidParameterError('Request body is not valid JSON.'));
      return;
    }
    const checked = validateSendBody(parsed);
    if (checked.kind === 'error') {
      reject(req, res, path, checked.error);
      return;
    }
    if (checked.kind === 'read') {
      markedRead.push(checked.messageId);
      writeJson(res, 200, { success: true });
      return;
    }
    const isTemplate = checked.type === 'template';
    const templateError = isTemplate ? templates.check(checked.body.template as Record<string, unknown>) : undefined;
    if (templateError) {
      reject(req, res, path, templateError, checked.to);
      return;
    }
    const windowIsOpen = isTemplate || windows.isOpen(checked.waId, now());
    if (!windowIsOpen && fake.windowClosed === 'sync') {
      reject(req, res, path, reEngagementError(), checked.to);
      return;
    }
    if (throughput && !throughput.tryTake(biz.phoneNumberId, now())) {
      reject(req, res, path, throughputError(options.rateLimitStatus?.throughput), checked.to);
      return;
    }
    if (pairRate && !pairRate.tryTake(checked.waId, now())) {
      reject(req, res, path, pairRateError(options.rateLimitStatus?.pair), checked.to);
      return;
    }
    accept(res, checked, isTemplate, windowIsOpen);
  }

  function accept(res: ServerResponse, send: ValidSend, isTemplate: boolean, windowIsOpen: boolean): void {
    const wamid = newWamid();
    sent.push({
      to: send.to,
      waId: send.waId,
      type: send.type,
      ...(send.text === undefined ? {} : { text: send.text }),
      ...(send.context === undefined ? {} : { context: send.context }),
      ...(send.template === undefined ? {} : { template: send.template }),
      body: send.body,
      time: now(),
      wamid,
      outcome: windowIsOpen ? 'accepted' : 'failed_window',
    });
    // Success body: Meta "Send messages" response; templates also carry
    // message_status:'accepted' (seen in WhatsApp/WhatsApp-Flows-Tools#43).
    writeJson(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: send.to, wa_id: send.waId }],
      messages: [isTemplate ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
    });
    const ref = { wamid, waId: send.waId, isTemplate };
    // Accepted, then failed by webhook: Meta reports 131050 in the message's status.
    if (isTemplate && stoppedMarketing.has(send.waId)) statuses.queueFailure(ref, STOPPED_MARKETING);
    else if (!windowIsOpen) {
      if (options.deliverFailures !== false) statuses.queueWindowFailure(ref);
    } else {
      statuses.queueProgress(ref, progressSteps);
    }
  }

  function describeMedia(res: ServerResponse, item: FakeMedia): void {
    // Media metadata: Meta "Media" reference, GET /<MEDIA_ID>.
    const query = new URLSearchParams({
      mid: item.id,
      ext: String(Math.floor(now() / 1000)),
      hash: item.sha256.slice(0, 16),
    });
    writeJson(res, 200, {
      messaging_product: 'whatsapp',
      url: `${origin}${DOWNLOAD_PATH}?${query.toString()}`,
      mime_type: item.mimeType,
      sha256: item.sha256,
      file_size: item.bytes.length,
      id: item.id,
    });
  }

  function download(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // The download URL also needs the bearer token (Meta "Media" reference).
    if (bearerToken(req, url) !== options.accessToken) {
      const spec = invalidTokenError();
      reject(req, res, url.pathname, spec);
      return;
    }
    const item = media.get(url.searchParams.get('mid') ?? '');
    if (!item) {
      reject(req, res, url.pathname, unknownObjectError('get', url.searchParams.get('mid') ?? ''));
      return;
    }
    res.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.bytes.length });
    res.end(item.bytes);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === DOWNLOAD_PATH) {
      download(req, res, url);
      return;
    }
    const segments = url.pathname.split('/').filter(Boolean);
    if (!VERSION.test(segments[0] ?? '')) {
      reject(req, res, url.pathname, unknownPathError(url.pathname));
      return;
    }
    if (bearerToken(req, url) !== options.accessToken) {
      reject(req, res, url.pathname, invalidTokenError());
      return;
    }
    const failure = injected.shift();
    if (failure) {
      reject(req, res, url.pathname, injectedToSpec(failure));
      return;
    }
    const id = segments[1] ?? '';
    if (req.method === 'GET' && segments.length === 3 && segments[2] === 'message_templates') {
      if (id !== biz.wabaId) reject(req, res, url.pathname, unknownObjectError('get', id));
      else writeJson(res, 200, templates.page(url));
      return;
    }
    if (req.method === 'POST' && segments.length === 3 && segments[2] === 'messages') {
      if (id !== biz.phoneNumberId) reject(req, res, url.pathname, unknownObjectError('post', id));
      else await handleSend(req, res, url.pathname);
      return;
    }
    if (req.method === 'POST' && segments.length === 3 && segments[2] === 'media') {
      if (id !== biz.phoneNumberId) { reject(req, res, url.pathname, unknownObjectError('post', id)); return; }
      const read = await readUpload(req);
      if (!read.ok) { reject(req, res, url.pathname, read.error); return; }
      uploads.push(read.upload);
      media.set(read.upload.id, read.upload);
      writeJson(res, 200, { id: read.upload.id });
      return;
    }
    if (req.method === 'GET' && segments.length === 2) {
      const item = media.get(id);
      if (item) describeMedia(res, item);
      else if (id === biz.phoneNumberId) {
        writeJson(res, 200, {
          verified_name: 'Threaddesk Test',
          display_phone_number: biz.displayPhoneNumber,
          quality_rating: 'GREEN',
          platform_type: 'CLOUD_API',
          id,
        });
      } else reject(req, res, url.pathname, unknownObjectError('get', id));
      return;
    }
    reject(req, res, url.pathname, unknownPathError(url.pathname));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) writeJson(res, 500, { error: { message: String(err), type: 'FakeError', code: 1 } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: GraphFake = {
    url: `${origin}/${apiVersion}`,
    origin,
    sent,
    uploads,
    rejected,
    statusDeliveries: statuses.deliveries,
    markedRead,
    templates: templates.templates,
    wabaId: biz.wabaId,
    addTemplate: (spec) => templates.add(spec),
    stopMarketing: (waId) => { stoppedMarketing.add(toWaId(waId)); },
    windowClosed: options.windowClosed ?? 'webhook',
    get webhookUrl() {
      return statuses.webhookUrl;
    },
    set webhookUrl(url: string | undefined) {
      statuses.webhookUrl = url;
    },
    customerWrote(waId, atMs = now()) {
      windows.wrote(toWaId(waId), atMs);
    },
    windowOpen(waId, open = true) {
      windows.force(toWaId(waId), open);
    },
    observeInbound(body) {
      for (const entry of (body as WhatsAppWebhookBody | undefined)?.entry ?? []) {
        for (const change of entry.changes ?? []) {
          for (const message of change.value?.messages ?? []) {
            windows.wrote(toWaId(message.from), Number(message.timestamp) * 1000);
          }
        }
      }
    },
    addMedia(id, bytes, mimeType) {
      const buffer = Buffer.from(bytes);
      const item = { id, bytes: buffer, mimeType, sha256: createHash('sha256').update(buffer).digest('hex') };
      media.set(id, item);
      return item;
    },
    failNext(n, failure) {
      for (let i = 0; i < n; i += 1) injected.push(failure);
    },
    waitFor(predicate, timeoutMs) {
      return waitFor(() => predicate(fake), timeoutMs, 'graph fake predicate');
    },
    settle() {
      return statuses.drain();
    },
    reset() {
      sent.length = 0;
      uploads.length = 0;
      rejected.length = 0;
      markedRead.length = 0;
      templates.clear();
      stoppedMarketing.clear();
      injected.length = 0;
      media.clear();
      windows.clear();
      throughput?.clear();
      pairRate?.clear();
      statuses.clear();
    },
    async close() {
      await statuses.drain();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
