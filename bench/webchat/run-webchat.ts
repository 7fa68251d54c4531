import type { StoreKind } from '../../tests/support/start-desk.js';
import { liftPostSpacing } from '../latency/lift-post-spacing.js';
import { startBenchDesk } from '../support/start-bench-desk.js';
import { webchatLoad, type WebchatLoadParams } from './webchat-load.js';

export type WebchatParams = { store: StoreKind } & WebchatLoadParams;

const ORIGIN = 'https://shop.example.com';
const MiB = 1024 * 1024;

/**
 * Many widget sockets on one process (issue 15): memory per connection, agent
 * reply → visitor's socket latency, and nothing lost or repeated across
 * forced reconnects. The visitors' sockets run in the same process as the
 * desk, so the memory figure counts both ends of each connection: an upper
 * bound of the desk's own share. Run with BENCH_CASE_NODE_ARGS=--expose-gc
 * for a steadier memory figure.
 */
export async function runWebchat(p: WebchatParams) {
  // Every visitor's first message opens a thread in one Slack channel; its 1 s post spacing would only slow the setup.
  liftPostSpacing();
  const desk = await startBenchDesk({ store: p.store, slack: { postRate: false }, graph: {}, env: { WEBCHAT_ORIGINS: ORIGIN, BOOTSTRAP_ADMINS: 'slack:U0AGENT' } });
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const agent = (await desk.app.desk.seats.list())[0];
    if (!agent) throw new Error('BOOTSTRAP_ADMINS made no seat');
    // Settle the heap, then measure with every socket open.
    gc?.();
    const before = process.memoryUsage();
    let perConnection = { rssKiB: 0, heapKiB: 0 };
    const result = await webchatLoad({ url: desk.app.url, origin: ORIGIN, desk: desk.app.desk, store: desk.app.store, agent }, p, async () => {
      await new Promise((r) => setTimeout(r, 1000));
      gc?.();
      const after = process.memoryUsage();
      perConnection = {
        rssKiB: Math.round((after.rss - before.rss) / p.connections / 1024 * 10) / 10,
        heapKiB: Math.round((after.heapUsed - before.heapUsed) / p.connections / 1024 * 10) / 10,
      };
    });
    return { ...result, memoryPerConnection: perConnection, rssMiBAtEnd: Math.round(process.memoryUsage().rss / MiB), gcExposed: Boolean(gc), logs: desk.logs };
  } finally {
    await desk.close();
  }
}
