import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreKind } from '../tests/support/start-desk.js';
import { startWechatDesk } from '../tests/support/start-wechat-desk.js';
import { kfMessage } from '../tests/fakes/wecom/index.js';
import { machineFacts } from './support/machine-facts.js';

/**
 * WeChat backlog: the pull after downtime. The WeCom fake holds N customer
 * texts (default 10,000 from 200 customers); one callback makes the bot pull
 * them with sync_msg in pages of 1,000 and record each in the desk (dedupe,
 * conversation, transcript, thread post staged). Measures the time until every
 * message is recorded and the time per page, i.e. per 1,000 messages (the
 * gap between one page's request and the next: the next page is asked for
 * once the previous page's messages and cursor are stored).
 *
 * Standalone: `node --import tsx bench/wechat-backlog.ts` (stores from
 * BENCH_WECHAT_STORES, default "embedded"; size from BENCH_WECHAT_MESSAGES and
 * BENCH_WECHAT_CUSTOMERS). Prints a summary and writes bench/results/wechat-backlog.json.
 */
async function recorded(metricsText: Promise<string>): Promise<number> {
  const line = (await metricsText).split('\n').find((l) => l.startsWith('inbound_messages_total{channel="wechat",outcome="accepted"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function runBacklog(store: StoreKind, messages: number, customers: number) {
  const w = await startWechatDesk({ store });
  try {
    const startS = Math.floor(Date.now() / 1000) - 3600;
    const items = Array.from({ length: messages }, (_, i) => kfMessage.text(
      w.fake.base(`wmBacklog${String(i % customers).padStart(5, '0')}`, { atMs: (startS + Math.floor(i / 10)) * 1000 }),
      `backlog message ${i}: where is my parcel?`,
    ));
    w.fake.push(...items);
    const loadBefore = machineFacts().loadAverage1m;
    const started = Date.now();
    await w.fake.deliverKfCallback();
    let done = 0;
    while (done < messages && Date.now() - started < 600_000) {
      await new Promise((r) => setTimeout(r, 100));
      done = await recorded(w.h.app.metrics.render());
    }
    const totalMs = Date.now() - started;
    const syncTimes = w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/sync_msg').map((r) => r.time);
    const pageMs = syncTimes.slice(1).map((t, i) => t - syncTimes[i]!);
    return {
      store, messages, customers, recorded: done, totalMs,
      msPer1000: Math.round((totalMs / messages) * 1000),
      pageMs, pages: syncTimes.length,
      loadAverage1mBefore: loadBefore, loadAverage1mAfter: machineFacts().loadAverage1m,
    };
  } finally {
    await w.close();
  }
}

const stores = (process.env.BENCH_WECHAT_STORES ?? 'embedded').split(',') as StoreKind[];
const messages = Number(process.env.BENCH_WECHAT_MESSAGES ?? 10_000);
const customers = Number(process.env.BENCH_WECHAT_CUSTOMERS ?? 200);
const started = Date.now();
const cases = [];
for (const store of stores) {
  const result = await runBacklog(store, messages, customers);
  console.log(`wechat backlog (${store}): ${result.recorded}/${messages} recorded in ${result.totalMs} ms, ${result.msPer1000} ms per 1,000 messages; page gaps ${result.pageMs.join(', ')} ms`);
  cases.push({ label: `wechat backlog ${store}`, params: { store, messages, customers }, result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'wechat-backlog.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: machineFacts(), durationSeconds: Math.round((Date.now() - started) / 1000), cases }, null, 2)}\n`);
console.log(`written ${out}`);
