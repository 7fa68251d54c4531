import { distribution } from '../support/percentiles.js';
import type { PostMatcher } from '../latency/match-posts.js';
import type { RecordedCall } from '../../tests/fakes/slack/index.js';
import type { SentMessage } from './send-open-loop.js';

/** A step passes with mirror p99 under this, nothing lost and every webhook answered 200 (issue 18). */
export const MIRROR_P99_LIMIT_MS = 100;

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

/** Process CPU over a step: from /proc ticks (the bot) or process.cpuUsage (the load process). */
export interface CpuSpent {
  ms: number;
  wallMs: number;
}

/**
 * The figures of one step from what was sent, what the fake Slack received
 * and what the processes spent. Mirror latency runs from the moment the
 * webhook left the load process to the arrival of the chat.postMessage that
 * carries its text (a first message also waits for its header card).
 */
export function stepFigures(sent: readonly SentMessage[], matcher: PostMatcher, calls: readonly RecordedCall[], bot: CpuSpent, load: CpuSpent, openedBefore = false) {
  const sentAts = sent.map((s) => s.sentAt);
  const sendingMs = Math.max(...sentAts) - Math.min(...sentAts);
  const mirrored = sent.filter((s) => matcher.textAt.has(s.text));
  const mirrorMs = (rows: readonly SentMessage[]) => distribution(rows.filter((s) => matcher.textAt.has(s.text)).map((s) => matcher.textAt.get(s.text)! - s.sentAt));
  const mirror = mirrorMs(sent);
  const lost = sent.length - mirrored.length;
  const not200 = sent.filter((s) => s.status !== 200);
  const posts = calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.ok);
  const gaps = posts.slice(1).map((c, i) => c.time - posts[i]!.time);
  const failures = [
    ...(mirror.p99 === null || mirror.p99 >= MIRROR_P99_LIMIT_MS ? [`mirror p99 ≥ ${MIRROR_P99_LIMIT_MS} ms`] : []),
    ...(lost ? [`${lost} lost`] : []),
    ...(not200.length ? [`${not200.length} not 200`] : []),
  ];
  return {
    messagesSent: sent.length,
    achievedRatePerSecond: sendingMs > 0 ? round((sent.length - 1) / (sendingMs / 1000)) : null,
    sendLatenessMs: distribution(sent.map((s) => s.lateMs)),
    ackMs: distribution(sent.filter((s) => s.status !== 0).map((s) => s.answeredAt - s.sentAt)),
    mirrorMs: mirror,
    /** Follow-ups only (one post each, no header card first): every message when the conversations were opened before the step. */
    followUpMirrorMs: mirrorMs(openedBefore ? sent : sent.filter((s) => s.planned.seq > 0)),
    /** First messages only (each after its new thread's header card); null when the conversations were opened before the step. */
    openingMirrorMs: openedBefore ? null : mirrorMs(sent.filter((s) => s.planned.seq === 0)),
    lost,
    not200: not200.length,
    not200Statuses: [...new Set(not200.map((s) => s.status))],
    /** Why requests got no answer (status 0), with how many each. */
    not200Errors: Object.fromEntries([...new Set(not200.filter((s) => s.error).map((s) => s.error!))].map((e) => [e, not200.filter((s) => s.error === e).length])),
    coalescedPosts: matcher.coalescedPosts,
    postMessageCalls: posts.length,
    // With the spacing lifted, posts to the one channel follow each other far closer than the shipped 1,020 ms.
    postGapMs: distribution(gaps),
    botCpuMsPerMessage: round(bot.ms / sent.length, 3),
    botCpuPercentOfOneCore: round((bot.ms / bot.wallMs) * 100, 1),
    loadProcessCpuMsPerMessage: round(load.ms / sent.length, 3),
    loadProcessCpuPercentOfOneCore: round((load.ms / load.wallMs) * 100, 1),
    measuredOverMs: bot.wallMs,
    passed: failures.length === 0,
    failures,
  };
}
