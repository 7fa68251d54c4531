import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../support/start-desk.js';
import { makeSeat, runAs } from '../support/seat-fixtures.js';
import type { Conversation, TranscriptEntry } from '../../src/core/model.js';

const CONVERSATIONS = 100;
const PER_CONVERSATION = 1000;

/**
 * `/export` of 100,000 messages (issue acceptance): streamed, so memory stays
 * flat (the growth is reported; bench/ keeps the figure), sent by DM as a file,
 * and — being above the row threshold — it raises a security alert.
 */
describe('exporting 100,000 messages', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false, tierRate: false, users: { U0AGENT: { name: 'admin', real_name: 'Admin' }, U0SECX: { name: 'sec', real_name: 'Sec' } } } });
    await makeSeat(h.app.desk, 'U0SECX', ['security']);
    const { store } = h.app;
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    for (let c = 0; c < CONVERSATIONS; c++) {
      const conv: Conversation = { id: `exp${c}`, channel: 'whatsapp', account: 'p', customer: { id: `4917000${c}`, name: `Kunde ${c}, "VIP"` }, queue: 'default', status: 'closed', createdAt: t0, lastCustomerAt: t0 };
      await h.app.desk.conversations.save(conv);
      await store.push('conv-index', JSON.stringify({ id: conv.id, at: t0 }));
      const entries: string[] = [];
      for (let i = 0; i < PER_CONVERSATION; i++) {
        const e: TranscriptEntry = { at: t0 + c * 60_000 + i, direction: i % 2 ? 'out' : 'in', text: `message ${i} of conversation ${c}, with a comma and a "quote"`, ...(i % 2 ? { author: 'slack-U0AGENT' } : {}) };
        entries.push(JSON.stringify(e));
      }
      await store.push(`transcript:${conv.id}`, ...entries);
    }
  }, 120_000);
  afterAll(async () => { await h?.close(); });

  it('streams the CSV to a file sent by DM, with flat memory, and alerts security about the size', async () => {
    global.gc?.();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sampler = setInterval(() => { const m = process.memoryUsage(); peakHeap = Math.max(peakHeap, m.heapUsed); peakRss = Math.max(peakRss, m.rss); }, 20);
    const started = Date.now();
    const r = await runAs(h.app.desk, 'U0AGENT', 'export', '2026-11-01 2026-11-30');
    clearInterval(sampler);
    expect(r.result.ok, r.told.join('\n')).toBe(true);
    expect(r.result).toMatchObject({ ok: true, value: { rows: 100_000, conversations: 100 } });
    const growthMb = (peakHeap - baseline.heapUsed) / 1024 / 1024;
    const rssGrowthMb = (peakRss - baseline.rss) / 1024 / 1024;
    // Reported, not timed: the target (under 50 MB above the baseline) is tracked in bench/.
    console.log(`export of 100,000 messages: ${Date.now() - started} ms, heap growth ${growthMb.toFixed(1)} MB, rss growth ${rssGrowthMb.toFixed(1)} MB`);
    expect(r.told.some((t) => t.includes('rows so far'))).toBe(true);

    const upload = await h.slack.waitFor((s) => s.files.find((f) => f.completed && f.filename.endsWith('.csv') && f.bytes), 30_000);
    const csv = upload.bytes!.toString('utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('conversation_id,queue,channel,customer_id,customer_name,at,direction,author,text');
    expect(lines).toHaveLength(100_001);
    expect(lines[1]).toBe('exp0,default,whatsapp,49170000,"Kunde 0, ""VIP""",2026-11-01T00:00:00.000Z,in,,"message 0 of conversation 0, with a comma and a ""quote"""');
    expect(h.slack.files.find((f) => f.id === upload.id)?.channel).toMatch(/^D/);
    // 100,000 rows is above the export threshold: security hears of it.
    await h.slack.waitFor((s) => s.dms.find((m) => m.channel === 'D0SECX' && /export/i.test(m.text)), 10_000);
    expect(await h.app.desk.auditLog.list(10, (e) => e.action === 'data.export')).toMatchObject([{ actor: 'slack-U0AGENT', after: { rows: 100_000 } }]);
  }, 120_000);
});
