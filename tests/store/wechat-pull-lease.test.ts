import { afterAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { ReplyAllowance } from '../../src/channels/wechat/allowance.js';
import { KfPuller, type PullerOptions } from '../../src/channels/wechat/pull-messages.js';
import type { WecomResult } from '../../src/channels/wechat/wecom-client.js';
import type { InboundCustomerMessage } from '../../src/core/model.js';
import type { StorePort } from '../../src/core/ports.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { randomHex } from '../../src/runtime/random-hex.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

const ACCOUNT = 'wkLeaseTest';

/**
 * A sync_msg stand-in: `total` customer texts in pages of `pageSize`, each
 * answer after a little latency, counting how many calls are in flight at once.
 */
function syncServer(total: number, pageSize: number) {
  let inFlight = 0;
  const s = {
    maxInFlight: 0,
    calls: [] as { cursor: string; token?: string }[],
    async post(_path: string, body: unknown): Promise<WecomResult<unknown>> {
      const b = body as { cursor: string; token?: string };
      s.calls.push(b);
      inFlight += 1;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight -= 1;
      const from = b.cursor ? Number(b.cursor) : 0;
      const to = Math.min(total, from + pageSize);
      const msg_list = Array.from({ length: to - from }, (_, i) => ({
        msgid: `m${from + i}`, open_kfid: ACCOUNT, external_userid: 'wmLease', send_time: 1_764_576_000 + from + i, origin: 3, msgtype: 'text', text: { content: `t${from + i}` },
      }));
      return { ok: true, value: { errcode: 0, next_cursor: String(to), has_more: to < total ? 1 : 0, msg_list } };
    },
  };
  return s;
}

/** The desk's intake as far as the puller sees it: dedupe by msgid, recorded in arrival order. */
function recordingDesk() {
  const seen = new Set<string>();
  const recorded: string[] = [];
  return {
    recorded,
    async receiveCustomerMessage(m: InboundCustomerMessage) {
      if (seen.has(m.messageId)) return { status: 'duplicate' as const };
      seen.add(m.messageId);
      recorded.push(m.text);
      return { status: 'duplicate' as const };
    },
  };
}

function puller(store: StorePort, server: ReturnType<typeof syncServer>, desk: ReturnType<typeof recordingDesk>): KfPuller {
  const log = createLogger('silent', new Writable({ write(_c, _e, cb) { cb(); } }));
  const clock = systemClock;
  const newId = () => randomHex(8);
  return new KfPuller({
    // It answers every message `duplicate`, so the puller never needs the conversations or the header.
    client: server, store, desk: desk as unknown as PullerOptions['desk'], allowance: new ReplyAllowance({ store, clock, newId }), log, metrics: new Metrics(),
    instanceId: `replica-${randomHex(4)}`, newId, pageLimit: 10, reportSendFailure: async () => {},
  });
}

describe.each<() => StoreHarness>([embeddedHarness, redisHarness])('WeChat pulls under a lease', (makeHarness) => {
  const harness = makeHarness();
  afterAll(async () => { await harness.cleanup(); });

  it(`lets one replica pull an account at a time, storing the cursor per page, on the ${harness.name} store`, async () => {
    // Two replicas: two connections on Redis; one store shared in-process for the embedded kind.
    const a = await harness.open();
    const b = harness.name === 'redis' ? await harness.open() : a;
    try {
      const server = syncServer(95, 10);
      const desk = recordingDesk();
      const one = puller(a, server, desk);
      const two = puller(b, server, desk);
      // Callbacks land on both replicas at once, several times.
      await Promise.all([one.request(ACCOUNT, 'tok1'), two.request(ACCOUNT, 'tok2'), one.request(ACCOUNT, 'tok3'), two.request(ACCOUNT, 'tok4')]);
      await expect.poll(() => desk.recorded.length, { timeout: 10_000 }).toBe(95);
      await one.stop();
      await two.stop();
      expect(server.maxInFlight).toBe(1);
      expect(desk.recorded).toEqual(Array.from({ length: 95 }, (_, i) => `t${i}`));
      expect(await a.getString(`wechat:cursor:${ACCOUNT}`)).toBe('95');
      // Every page after the first starts where the stored cursor points: no page was pulled from the start twice.
      expect(server.calls.filter((c) => c.cursor === '').length).toBe(1);
    } finally {
      if (b !== a) await b.close();
      await a.close();
    }
  });

  it(`takes up a pull whose lease a dead replica held once the lease expires, without another callback, on the ${harness.name} store`, async () => {
    const a = await harness.open();
    try {
      const server = syncServer(12, 10);
      const desk = recordingDesk();
      // A process killed mid-pull: its lease (short here) and the pending mark stay behind.
      // An account of its own: the Redis harness shares one prefix between this file's tests.
      const account = `${ACCOUNT}Dead`;
      // Long enough to outlive the callback and the check after it on a stalled CI machine (it was
      // 400 ms): expired sooner, the callback's own pull would take the lease.
      await a.setIfAbsent(`wechat:pull-lease:${account}`, 'replica-dead', 2_000);
      const one = puller(a, server, desk);
      await one.request(account, 'tok1');
      await new Promise((r) => setTimeout(r, 100));
      expect(desk.recorded).toEqual([]);
      one.startSweep(100);
      await expect.poll(() => desk.recorded.length, { timeout: 10_000 }).toBe(12);
      await one.stop();
    } finally {
      await a.close();
    }
  });
});
