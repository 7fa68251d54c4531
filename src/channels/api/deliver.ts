import { signHmacSha256 } from '../verify-hmac.js';
import type { Desk } from '../../core/desk.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { ownValue } from '../../core/own-property.js';
import { customerSendAtHead } from '../customer-send.js';
import { DESK_AUTHOR } from '../../core/intake/receive-customer-message.js';
import type { AgentFile } from '../../core/files/agent-file.js';
import { FILE_LINK_TTL_MS, type FileLinks } from './file-links.js';
import { FILE_PATH } from './file-route.js';

/**
 * Agent replies for the generic API go back by a signed POST to the source's
 * callback URL (same `X-Signature` scheme). 2xx: done; 429/5xx/network:
 * retry, honouring Retry-After; other 4xx: the receiver refused it for good.
 * An agent's files go as `files[]`, each with a sealed link to GET within the hour.
 */
export class ApiDeliverer implements Deliverer {
  constructor(
    private readonly secret: string,
    private readonly sources: Record<string, { callbackUrl: string }>,
    private readonly desk: Desk,
    /** Seals the links to agents' files; `baseUrl`: the bot's public address they start with ('' for a path). */
    private readonly files: { links: FileLinks; baseUrl: string },
  ) {}

  async destination(head: OutboxItem): Promise<string> {
    const convId = 'convId' in head.payload ? (head.payload.convId ?? '') : '';
    const conv = await this.desk.conversations.get(convId);
    return `api:callback:${conv?.account ?? 'unknown'}`;
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = await customerSendAtHead(this.desk, items, 'API');
    if ('failed' in head) return head.failed;
    const { item, payload: p, conv } = head;
    const source = ownValue(this.sources, conv.account);
    if (!source) return { kind: 'failed', consumed: 1, reason: `source ${conv.account} is not configured`, failure: { code: 'channel_error', detail: { channel: 'the API', reason: `source "${conv.account}" has no callback_url in the config` } } };
    // `agent`: the display name of who answered, unless the queue hides it (agent_identity.show_name) or the desk itself did.
    const agent = p.author === DESK_AUTHOR ? undefined : p.identity ? p.identity.name : (await this.desk.seats.get(p.author))?.name;
    const body = JSON.stringify({
      type: 'agent_reply',
      id: item.id,
      conversation_id: conv.id,
      source: conv.account,
      customer_id: conv.customer.id,
      text: p.text,
      ...(agent ? { agent } : {}),
      ...(p.files?.length ? { files: this.fileLinks(p.files) } : {}),
      sent_at: new Date(item.createdAt).toISOString(),
    });
    let res: Response;
    try {
      res = await fetch(source.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signHmacSha256(this.secret, body), 'x-threaddesk-delivery': item.id },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
    } catch (err) {
      return { kind: 'retry', reason: `callback ${conv.account}: ${(err as Error).message}` };
    }
    if (res.ok) return { kind: 'delivered', consumed: 1 };
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 429 || res.status >= 500) {
      return { kind: 'retry', reason: `callback ${conv.account} answered ${res.status}`, ...(retryAfter > 0 ? { afterMs: retryAfter * 1000 } : {}) };
    }
    return { kind: 'failed', consumed: 1, reason: `callback answered ${res.status}`, failure: { code: 'channel_error', detail: { channel: 'the API', reason: `the receiving system answered HTTP ${res.status}` } } };
  }

  /** Each file as a link the receiver can GET for an hour from this attempt (a retried callback carries fresh ones). */
  private fileLinks(files: readonly AgentFile[]) {
    const expiresAt = this.desk.clock.now() + FILE_LINK_TTL_MS;
    return files.map((f) => ({
      name: f.name,
      mime_type: f.mime,
      ...(f.size !== undefined ? { size: f.size } : {}),
      url: `${this.files.baseUrl}${FILE_PATH}?t=${this.files.links.seal(f, expiresAt)}`,
      expires_at: new Date(expiresAt).toISOString(),
    }));
  }
}
