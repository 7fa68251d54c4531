import type { StoreKind } from '../../tests/support/start-desk.js';
import { startBenchDesk } from '../support/start-bench-desk.js';
import { sendCustomerMessage } from '../support/send-customer-message.js';
import { measureIdle } from '../support/measure-idle.js';

export interface IdleParams {
  store: StoreKind;
  conversations: number;
  messagesPerConversation: number;
}

const SETTLE_TIMEOUT_MS = 15_000;

/**
 * After a little traffic has been mirrored and the outbox is empty, is the desk
 * quiet? Counts outbox lane loops still running and the process's CPU over a
 * 2 s window. Not an issue target: it explains the other figures (a lane loop
 * that never ends competes with every webhook for the store).
 */
export async function runIdle(p: IdleParams) {
  const desk = await startBenchDesk({ store: p.store, slack: { postRate: false, tierRate: false }, graph: { throughput: false, pairRate: false } });
  try {
    const texts: string[] = [];
    await Promise.all(Array.from({ length: p.conversations }, async (_, c) => {
      for (let m = 0; m < p.messagesPerConversation; m++) {
        const text = `idle c${c} m${m}: hello`;
        texts.push(text);
        await sendCustomerMessage(desk.app.url, `491555099${String(c).padStart(2, '0')}`, `Idle Customer ${c}`, text);
      }
    }));
    const outbox = desk.app.desk.outbox;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const mirrored = () => {
      const lines = new Set(desk.slack.callsTo('chat.postMessage').flatMap((c) => String(c.args.text ?? '').split('\n')));
      return texts.every((t) => lines.has(t));
    };
    // Header edits go 1.2 s apart (Tier 3 budget), so the outbox empties a few seconds after the last post.
    while (Date.now() < deadline && !(mirrored() && (await outbox.pendingCount()) === 0)) await new Promise((r) => setTimeout(r, 100));
    const settledMs = SETTLE_TIMEOUT_MS - (deadline - Date.now());
    const pendingItems = await outbox.pendingCount();
    const idle = await measureIdle(desk.app, 500, 2000);
    return {
      params: p,
      mirrored: mirrored(),
      outboxEmptyAfterMs: pendingItems === 0 ? settledMs : null,
      pendingItems,
      ...idle,
      logWarnings: desk.logs.warnings,
      logErrors: desk.logs.errors,
    };
  } finally {
    await desk.close();
  }
}
