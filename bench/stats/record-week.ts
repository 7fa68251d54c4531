import type { StorePort, WriteOp } from '../../src/core/ports.js';
import type { StatsRecorder } from '../../src/core/stats/stats-recorder.js';
import { keys } from '../../src/core/keys.js';

export interface RecordedWeek {
  messages: number;
  conversations: number;
  writeOps: number;
  batches: number;
  recordMs: number;
}

const DAY = 86_400_000;
/** Writes per atomic batch: big enough to be quick, small enough for one MULTI or one transaction. */
const OPS_PER_BATCH = 5000;

/**
 * Records a busy week's events straight through the StatsRecorder (what the
 * desk writes as they happen), in bulk: `messages` messages over
 * conversations of `messagesPerConversation` (half customer, half agent),
 * spread over the 7 days before `now` across `queues` and `seats`; a few
 * transferred, breached and left open. Also a presence log of each seat going
 * online and away twice a day. A fixed pseudo-random sequence, so runs compare.
 */
export async function recordWeek(store: StorePort, recorder: StatsRecorder, o: { now: number; messages: number; messagesPerConversation: number; queues: readonly string[]; seats: readonly string[] }): Promise<RecordedWeek> {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const started = performance.now();
  const conversations = Math.floor(o.messages / o.messagesPerConversation);
  let pending: WriteOp[] = [];
  let writeOps = 0;
  let batches = 0;
  const flush = async () => {
    if (!pending.length) return;
    await store.writeAtomically(pending);
    writeOps += pending.length;
    batches += 1;
    pending = [];
  };
  for (let c = 0; c < conversations; c++) {
    const queue = o.queues[c % o.queues.length]!;
    const seat = o.seats[Math.floor(random() * o.seats.length)]!;
    const opened = o.now - 7 * DAY + Math.floor(random() * (7 * DAY - 3600_000));
    const first = Math.floor(5_000 + random() * random() * 900_000);
    pending.push(...recorder.opened(queue, opened), ...recorder.handled(queue, seat, opened), ...recorder.firstResponse(queue, opened + first, first));
    let at = opened + first;
    for (let r = 0; r < o.messagesPerConversation / 2; r++) {
      const wait = Math.floor(3_000 + random() * 300_000);
      at += wait;
      pending.push(...recorder.response(queue, at, wait));
    }
    if (random() < 0.03) pending.push(...recorder.transferred(queue, seat, at));
    if (random() < 0.05) pending.push(...recorder.recordBreach({ convId: `bench-${c}`, queue, seat, at: opened + 90_000 }));
    if (random() < 0.95) pending.push(...recorder.closed(queue, `bench-${c}`, at + 60_000));
    if (pending.length >= OPS_PER_BATCH) await flush();
  }
  await flush();
  const presence: string[] = [];
  for (let day = 7; day >= 0; day--) {
    for (const [i, seat] of o.seats.entries()) {
      const base = o.now - day * DAY + (i % 8) * 3600_000;
      presence.push(JSON.stringify({ seat, presence: 'online', at: base - 8 * 3600_000 }), JSON.stringify({ seat, presence: 'away', at: base - 4 * 3600_000 }));
    }
  }
  await store.push(keys.presenceLog(), ...presence.filter((line) => (JSON.parse(line) as { at: number }).at < o.now));
  return { messages: conversations * o.messagesPerConversation, conversations, writeOps, batches, recordMs: Math.round(performance.now() - started) };
}
