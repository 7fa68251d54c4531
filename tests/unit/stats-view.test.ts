import { describe, expect, it } from 'vitest';
import type { DepartmentStats } from '../../src/core/stats/read-stats.js';
import type { PrivateView } from '../../src/core/overview/private-view.js';
import { privateViewText } from '../../src/handlers/private-view-text.js';
import { renderView as slackView } from '../../src/bot/slack/render-view.js';
import { renderView as telegramView } from '../../src/bot/telegram/render-view.js';
import { renderView as discordView } from '../../src/bot/discord/render-view.js';

const sales: DepartmentStats = {
  department: 'sales', timeZone: 'Europe/Berlin', range: { from: '2026-11-24', to: '2026-11-30' },
  queues: [
    { queue: 'refunds', opened: 12, closed: 10, open: 2, waiting: 1, overdue: 1, firstResponses: 11, firstResponseP50Ms: 30_000, firstResponseP90Ms: 180_000, avgResponseMs: 95_000, transfers: 2, breaches: 3 },
    { queue: 'orders', opened: 0, closed: 0, open: 0, waiting: 0, overdue: 0, firstResponses: 0, transfers: 0, breaches: 0 },
  ],
  total: { opened: 12, closed: 10, open: 2, waiting: 1, overdue: 1, firstResponses: 11, firstResponseP50Ms: 30_000, firstResponseP90Ms: 180_000, avgResponseMs: 95_000, transfers: 2, breaches: 3 },
  seats: [{ seat: 'ann', name: 'Ann', handled: 9, transfers: 2, breaches: 1 }],
  coverage: [...Array.from({ length: 9 }, () => 0), ...Array.from({ length: 9 }, () => 1), 0.5, ...Array.from({ length: 5 }, () => undefined)],
};
const view = (lang: string, departments: DepartmentStats[] = [sales]): PrivateView => ({ kind: 'stats', lang, departments });

describe('the /stats view', () => {
  it('says each queue\'s figures, the total line, the seats and the coverage in plain words', () => {
    const text = privateViewText(view('en'));
    expect(text).toContain('sales: 2026-11-24 to 2026-11-30 (Europe/Berlin)');
    expect(text).toContain('refunds: 12 opened · 10 closed · 2 open · 1 waiting · 1 overdue');
    expect(text).toContain('first response p50 within 30 seconds · p90 within 3 minutes (11 answered) · average response 95 seconds · 2 transfers · 3 SLA breaches');
    expect(text).toContain('orders: 0 opened');
    expect(text).toContain('first response p50 – · p90 – (0 answered) · average response –');
    expect(text).toContain('All queues: 12 opened');
    expect(text).toContain('• Ann: 9 handled · 2 transferred · 1 SLA breaches');
    expect(text).toContain('08 0% · 09 100%');
    expect(text).toContain('18 50% · 19 –');
  });

  it('speaks Chinese to a zh-CN reader', () => {
    const text = privateViewText(view('zh-CN'));
    expect(text).toContain('sales：2026-11-24 至 2026-11-30（Europe/Berlin）');
    expect(text).toContain('refunds：新建 12 · 关闭 10');
    expect(text).toContain('首次响应 p50 30 秒内');
    expect(text).toContain('全部队列');
  });

  it('says there is nothing to see when the seat leads or supervises no department', () => {
    expect(privateViewText(view('en', []))).toContain('/stats shows the departments you supervise or lead');
  });

  it('is Block Kit on Slack: a header per department, a section per queue and the total, seats and coverage as context', () => {
    const { text, blocks } = slackView(view('en', [sales, { ...sales, department: 'support' }]));
    expect(text).toBe(privateViewText(view('en', [sales, { ...sales, department: 'support' }])));
    expect(blocks.filter((b) => b.type === 'header')).toHaveLength(2);
    expect(blocks.filter((b) => b.type === 'section')).toHaveLength(6);
    expect(blocks.filter((b) => b.type === 'context')).toHaveLength(4);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('is one plain message on Telegram and an embed per department on Discord, titled once', () => {
    expect(telegramView(view('en'))).toEqual({ text: privateViewText(view('en')) });
    const { embeds, components } = discordView(view('en'));
    expect(components).toEqual([]);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]!.title).toBe('sales: 2026-11-24 to 2026-11-30 (Europe/Berlin)');
    expect(embeds[0]!.description.startsWith('refunds: 12 opened')).toBe(true);
  });
});
