import type { KeyValuePort } from '../../core/ports.js';
import { templateListKey, type TemplateInfo } from '../../core/templates/template-list.js';
import type { Logger } from '../../runtime/logger.js';
import type { GraphClient, GraphTemplate } from './graph-client.js';

/** Templates are approved or paused in WhatsApp Manager, not by the desk: an hourly look keeps the list fresh enough. */
export const TEMPLATE_REFRESH_MS = 3600_000;
/** A business has at most a few hundred templates; more pages than this is a paging loop, not a list. */
const MAX_PAGES = 50;

/**
 * Keeps the WhatsApp Business Account's approved templates in the store
 * (core/templates/template-list.ts), where `!template` checks a send and a
 * closed window's refusal lists them: read at start, every hour, and again
 * soon after Meta says a template does not exist (132001) or takes other
 * values (132000). Several replicas each refresh; the writes are the same.
 */
export class TemplateRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;

  constructor(
    private readonly graph: Pick<GraphClient, 'templatePage'>,
    private readonly wabaId: string,
    private readonly store: Pick<KeyValuePort, 'set'>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), TEMPLATE_REFRESH_MS);
    this.timer.unref();
  }

  /** No more refreshes; waits for one under way, so nothing writes once the store closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Reads every page and stores the approved templates; false (logged with
   * the fix) when Meta refused or the store failed, the last list kept. One
   * refresh at a time; never rejects.
   */
  refresh(): Promise<boolean> {
    this.running ??= this.readAll()
      .catch((err: unknown) => { this.log.warn({ err: String(err) }, 'could not store the WhatsApp template list; the last one is kept'); return false; })
      .finally(() => { this.running = undefined; });
    return this.running;
  }

  private async readAll(): Promise<boolean> {
    const templates: TemplateInfo[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const r = await this.graph.templatePage(this.wabaId, after);
      if (!r.ok) {
        this.log.warn({ code: r.error.code, status: r.error.httpStatus, message: r.error.message }, 'could not list WhatsApp message templates: check that WHATSAPP_BUSINESS_ACCOUNT_ID is the WhatsApp Business Account id (WhatsApp Manager → Account tools) and that the access token has whatsapp_business_management; the last list is kept');
        return false;
      }
      templates.push(...(r.value.data ?? []).flatMap(approved));
      after = r.value.paging?.cursors?.after;
      if (!r.value.paging?.next || !after) break;
    }
    await this.store.set(templateListKey('whatsapp'), { fetchedAt: this.now(), templates });
    this.log.info({ templates: templates.length }, 'WhatsApp message templates listed');
    return true;
  }
}

/** An approved template as the desk checks sends against it; nothing for one that cannot be sent (pending, rejected, paused). */
function approved(t: GraphTemplate): TemplateInfo[] {
  if (t.status !== 'APPROVED' || typeof t.name !== 'string' || typeof t.language !== 'string') return [];
  const body = t.components?.find((c) => c.type?.toUpperCase() === 'BODY')?.text ?? '';
  // Positional `{{1}}`, `{{2}}` or named `{{order_id}}`: each distinct one is a value to give.
  const params = new Set([...body.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)].map((m) => m[1]!)).size;
  return [{ name: t.name, language: t.language, params }];
}
