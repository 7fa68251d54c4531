import type { AtomicPort, ListPort } from '../ports.js';
import type { SecurityEvent } from './rules/types.js';

/** How many past events per actor the rules may look at. */
const HISTORY_KEEP = 1000;
/** A resent event id is recognised for this long. */
const DEDUPE_MS = 30 * 24 * 3600_000;

/**
 * Security events, per actor, in arrival order: what the rules read as an
 * actor's history. Each event id is processed once (outside systems resend).
 */
export class SecurityEvents {
  constructor(private readonly store: AtomicPort & ListPort) {}

  /** True the first time an id is seen. */
  async claimId(id: string): Promise<boolean> {
    return this.store.setIfAbsent(`sec-event:${id}`, '1', DEDUPE_MS);
  }

  async history(actor: string): Promise<SecurityEvent[]> {
    return (await this.store.range(historyKey(actor), -HISTORY_KEEP, -1)).map((r) => JSON.parse(r) as SecurityEvent);
  }

  async append(event: SecurityEvent): Promise<void> {
    const n = await this.store.push(historyKey(event.actor), JSON.stringify(event));
    if (n > HISTORY_KEEP * 1.2) await this.store.dropHead(historyKey(event.actor), n - HISTORY_KEEP);
  }
}

const historyKey = (actor: string) => `sec-history:${actor}`;
