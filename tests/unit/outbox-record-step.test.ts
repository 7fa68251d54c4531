import { BUDGETS } from '../support/modules.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Deliverer } from '../../src/core/outbox/deliverer.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import type { StorePort } from '../../src/core/ports.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { readSentRecord, sentRecordOp } from '../../src/core/sent-messages.js';
import { keys } from '../../src/core/keys.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { OutboxWorker } from '../../src/runtime/outbox-worker.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const LANE = 'c:record-step';

/**
 * SPEC §10: the window in which a crash repeats a message is only the time
 * between the platform's answer and the store write. The worker removes a
 * finished item, together with the deliverer's records about it, as the one
 * store step after the answer, and measures that step.
 */
describe.each<[string, () => StoreHarness]>([
  ['embedded', embeddedHarness],
  ['redis', redisHarness],
])('the outbox record step (%s store)', (_name, harnessOf) => {
  const harness = harnessOf();
  let store: StorePort;
  afterAll(async () => { await store?.close(); await harness.cleanup(); });

  it('stores the delivery\'s records in the same step that removes the item, and reports the window in /metrics', async () => {
    store = await harness.open();
    let n = 0;
    const outbox = new Outbox(store, systemClock, () => `rec${++n}`);
    const metrics = new Metrics();
    const storeAtAnswer: { headLeft: number; recordThere: boolean }[] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:record-step',
      async deliver(items: readonly OutboxItem[]) {
        const item = items[0]!;
        return { kind: 'delivered', consumed: 1, records: [sentRecordOp('api', `sent-${item.id}`, { convId: 'c1', agentMessageId: item.id })] };
      },
    };
    const recorded: string[] = [];
    const worker = new OutboxWorker({
      outbox, atomic: store, clock: systemClock, limiters: new Limiters({ prefix: 'test:', state: store, log: createLogger('silent'), budgets: BUDGETS }),
      deliverers: { api: deliverer }, log: createLogger('silent'), metrics, instanceId: 'w1', shared: store.kind === 'redis',
      onOutcome: async (items) => {
        // By the time follow-ups run, the item is gone and its record is there: both landed together.
        for (const i of items) {
          storeAtAnswer.push({ headLeft: (await outbox.head(LANE, 10)).filter((x) => x.id === i.id).length, recordThere: (await readSentRecord(store, 'api', `sent-${i.id}`)) !== undefined });
          recorded.push(i.id);
        }
      },
    });
    const items = [];
    for (let i = 0; i < 3; i++) items.push(await outbox.append(LANE, 'api', { op: 'customer.send', convId: 'c1', text: `t${i}`, author: 's1' }));
    worker.start();
    const deadline = Date.now() + 10_000;
    while (recorded.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(recorded).toEqual(items.map((i) => i.id));
    expect(storeAtAnswer).toEqual(items.map(() => ({ headLeft: 0, recordThere: true })));
    expect(await readSentRecord(store, 'api', `sent-${items[0]!.id}`)).toEqual({ convId: 'c1', agentMessageId: items[0]!.id });
    const text = await metrics.render();
    expect(text).toMatch(/^outbox_record_window_ms_count 3$/m);
    expect(Number(/^outbox_record_window_ms_max ([\d.]+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
  });

  it('still reads sent records that an older version wrote as key-value entries', async () => {
    await store.set(keys.sentMessage('whatsapp', 'wamid.OLD'), { convId: 'c-old' });
    expect(await readSentRecord(store, 'whatsapp', 'wamid.OLD')).toEqual({ convId: 'c-old' });
    expect(await readSentRecord(store, 'whatsapp', 'wamid.NONE')).toBeUndefined();
  });
});
