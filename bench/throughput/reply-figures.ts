import { distribution } from '../support/percentiles.js';
import type { GraphSendMatcher } from './match-graph-sends.js';
import type { SentReply } from './send-agent-reply.js';
import type { SentStatus } from './status-storm.js';
import type { CpuSpent } from './step-figures.js';

/** A reply step passes with reply p99 (from the event leaving the client) under this, nothing lost, every event and status webhook answered 200. */
export const REPLY_P99_LIMIT_MS = 100;

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * The figures of one reply step from the events sent, what the Graph fake
 * received, the status webhooks posted (none without the storm) and the CPU
 * the processes spent. Reply latency runs to the arrival of the Graph send
 * carrying the reply's text: from the bot's answer to the event (`replyMs`,
 * can be negative: the outbox may send before the answer is on its way) and
 * from the moment the event left the client (`replyFromSentMs`, the pass rule).
 */
export function replyFigures(sent: ReadonlyArray<SentReply & { lateMs: number }>, matcher: GraphSendMatcher, statuses: readonly SentStatus[] | null, bot: CpuSpent, load: CpuSpent) {
  const sentAts = sent.map((s) => s.sentAt);
  const sendingMs = Math.max(...sentAts) - Math.min(...sentAts);
  const arrived = sent.filter((s) => matcher.textAt.has(s.text));
  const replyFromSent = distribution(arrived.map((s) => matcher.textAt.get(s.text)! - s.sentAt));
  const lost = sent.length - arrived.length;
  const not200 = sent.filter((s) => s.status !== 200);
  const statusNot200 = statuses?.filter((s) => s.code !== 200) ?? [];
  const failures = [
    ...(replyFromSent.p99 === null || replyFromSent.p99 >= REPLY_P99_LIMIT_MS ? [`reply p99 ≥ ${REPLY_P99_LIMIT_MS} ms`] : []),
    ...(lost ? [`${lost} lost`] : []),
    ...(not200.length ? [`${not200.length} events not 200`] : []),
    ...(matcher.duplicates ? [`${matcher.duplicates} sent twice`] : []),
    ...(statusNot200.length ? [`${statusNot200.length} status webhooks not 200`] : []),
  ];
  return {
    repliesSent: sent.length,
    achievedRatePerSecond: sendingMs > 0 ? round((sent.length - 1) / (sendingMs / 1000)) : null,
    sendLatenessMs: distribution(sent.map((s) => s.lateMs)),
    ackMs: distribution(sent.filter((s) => s.status !== 0).map((s) => s.answeredAt - s.sentAt)),
    replyMs: distribution(arrived.map((s) => matcher.textAt.get(s.text)! - s.answeredAt)),
    replyFromSentMs: replyFromSent,
    lost,
    not200: not200.length,
    not200Statuses: [...new Set(not200.map((s) => s.status))],
    duplicates: matcher.duplicates,
    windowFailures: matcher.windowFailures,
    statusWebhooks: statuses === null ? null : {
      sent: statuses.length,
      ackMs: distribution(statuses.filter((s) => s.code !== 0).map((s) => s.answeredAt - s.sentAt)),
      not200: statusNot200.length,
      not200Statuses: [...new Set(statusNot200.map((s) => s.code))],
      byStatus: Object.fromEntries(['sent', 'delivered', 'read'].map((k) => [k, statuses.filter((s) => s.status === k).length])),
    },
    /** The bot's CPU per reply sent (with the storm: the reply's three status webhooks included). */
    botCpuMsPerReply: round(bot.ms / sent.length, 3),
    botCpuPercentOfOneCore: round((bot.ms / bot.wallMs) * 100, 1),
    loadProcessCpuMsPerReply: round(load.ms / sent.length, 3),
    loadProcessCpuPercentOfOneCore: round((load.ms / load.wallMs) * 100, 1),
    measuredOverMs: bot.wallMs,
    passed: failures.length === 0,
    failures,
  };
}
