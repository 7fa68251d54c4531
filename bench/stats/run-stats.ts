import type { StoreKind } from '../../tests/support/start-desk.js';
import { SECRETS } from '../../tests/support/start-desk.js';
import { postToBot, slashCommand } from '../../tests/fakes/slack/index.js';
import { signHmacSha256 } from '../../src/channels/verify-hmac.js';
import { localTime, addDays } from '../../src/core/hours/local-time.js';
import { startBenchDesk } from '../support/start-bench-desk.js';
import { distribution } from '../support/percentiles.js';
import { recordWeek } from './record-week.js';

export interface StatsParams {
  store: StoreKind;
  messages: number;
  messagesPerConversation: number;
  queues: number;
  seats: number;
  /** Timed requests of each kind, after one untimed warm-up. */
  requests: number;
}

/**
 * `/stats week` (a signed Slack slash command, answered with the Block Kit
 * view) and `GET /api/stats` over the same 7 days, timed from the request
 * leaving to the whole answer read, after a week of `messages` messages was
 * recorded through the counters. Issue 13 target: both under 1 s.
 */
export async function runStats(p: StatsParams) {
  const queues = Array.from({ length: p.queues }, (_, i) => `q${i}`);
  const yaml = `queues:\n${queues.map((q, i) => `  - name: ${q}\n    department: ${i % 2 ? 'sales' : 'support'}\n    assignment: manual\n`).join('')}`;
  const desk = await startBenchDesk({ store: p.store, slack: { postRate: false, tierRate: false }, graph: { throughput: false, pairRate: false }, yaml: `${yaml}  - name: default\n    assignment: manual\n`, api: true });
  try {
    const d = desk.app.desk;
    const now = d.clock.now();
    const seats = Array.from({ length: p.seats }, (_, i) => `bench-seat-${i}`);
    for (const [i, id] of seats.entries()) {
      await d.seats.save({ id, name: `Seat ${i}`, bindings: [{ platform: 'slack', userId: `UBENCH${i}` }], roles: ['agent'], departments: ['sales', 'support'], queues: [queues[i % queues.length]!], maxChats: 10, presence: 'away', enabled: true, createdAt: now });
    }
    await d.seats.save({ id: 'bench-supervisor', name: 'Supervisor', bindings: [{ platform: 'slack', userId: 'UBENCHSUP' }], roles: ['supervisor'], departments: ['sales', 'support', 'default'], queues: [], maxChats: 10, presence: 'online', enabled: true, createdAt: now });
    const recorded = await recordWeek(desk.app.store, d.statsRecorder, { now, messages: p.messages, messagesPerConversation: p.messagesPerConversation, queues, seats });

    const slash = async () => {
      const t = performance.now();
      const res = await postToBot(`${desk.app.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/stats', text: 'week', user_id: 'UBENCHSUP', channel_id: 'C0SUPPORT' }));
      const ms = performance.now() - t;
      const answer = JSON.parse(res.text) as { blocks?: unknown[]; text?: string };
      if (res.status !== 200 || !answer.blocks) throw new Error(`/stats week answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { ms, text: answer.text ?? '' };
    };
    const today = localTime(now, 'UTC').date;
    const query = `from=${addDays(today, -6)}&to=${today}`;
    const api = async () => {
      const t = performance.now();
      const res = await fetch(`${desk.app.url}/api/stats?${query}`, { headers: { 'x-signature': signHmacSha256(SECRETS.apiSecret, query) } });
      const body = await res.json() as { queues: { opened: number }[] };
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`GET /api/stats answered ${res.status}`);
      return { ms, opened: body.queues.reduce((a, q) => a + q.opened, 0) };
    };
    const warm = await slash();
    const warmApi = await api();
    const slashMs: number[] = [];
    const apiMs: number[] = [];
    for (let i = 0; i < p.requests; i++) {
      slashMs.push((await slash()).ms);
      apiMs.push((await api()).ms);
    }
    const round = (xs: number[]) => xs.map((x) => Math.round(x * 10) / 10);
    return {
      params: p,
      recorded,
      openedInAnswer: warmApi.opened,
      statsWeekMs: distribution(round(slashMs)),
      apiStatsMs: distribution(round(apiMs)),
      firstStatsWeekMs: Math.round(warm.ms),
      firstApiStatsMs: Math.round(warmApi.ms),
      answerChars: warm.text.length,
      logWarnings: desk.logs.warnings,
      logErrors: desk.logs.errors,
    };
  } finally {
    await desk.close();
  }
}
