import type { StoreKind } from '../../tests/support/start-desk.js';
import { startBenchDesk } from '../support/start-bench-desk.js';
import { sendBurst } from '../support/send-customer-message.js';
import { SLACK_BUDGETS as BUDGETS } from '../../src/bot/slack/budgets.js';
import { distribution } from '../support/percentiles.js';
import { checkThreads, type ExpectedConversation } from './check-threads.js';

export interface BurstParams {
  store: StoreKind;
  conversations: number;
  messagesPerConversation: number;
}

const CHANNEL = 'C0SUPPORT';
/** The budget the fake enforces on chat.postMessage per channel (Slack: ~1/s, short bursts tolerated). */
const POST_RATE = { burst: 3, perSecond: 1 };

/**
 * N customers write 10 messages each "at once": each customer's messages are
 * posted one after the other (each awaited, so their order is defined), the N
 * customers in parallel. The fake Slack answers 429 beyond its budget. Measures
 * how long until every text is visible in its conversation's thread, and what
 * it cost on the way (calls, 429s, losses, order).
 */
export async function runBurst(p: BurstParams) {
  const desk = await startBenchDesk({ store: p.store, slack: { postRate: POST_RATE }, graph: {} });
  try {
    const pad = (n: number) => String(n).padStart(3, '0');
    const expected: Array<ExpectedConversation & { from: string }> = Array.from({ length: p.conversations }, (_, c) => ({
      name: `Burst Customer ${pad(c)}`,
      from: `49155500${pad(c)}`,
      texts: Array.from({ length: p.messagesPerConversation }, (_, m) => `burst c${pad(c)} m${pad(m)}: where is my parcel?`),
    }));
    const allVisible = () => checkThreads(CHANNEL, desk.slack.messages, expected).every((t) => t.lost === 0);

    // The floor: one header card and at least one post per conversation, all in
    // one channel; the first POST_RATE.burst posts are free, then one per second.
    const posts = 2 * p.conversations;
    const floorMs = Math.max(0, posts - POST_RATE.burst) * 1000;
    const timeoutMs = Math.max(30_000, 3 * floorMs + 20_000);

    const start = Date.now();
    const drained = desk.slack.waitFor((s) => allVisible() && s, timeoutMs).then(() => Date.now(), () => undefined);
    const { answers, ingestedAt } = await sendBurst(desk.app.url, expected);
    const drainedAt = await drained;

    const threads = checkThreads(CHANNEL, desk.slack.messages, expected);
    const postCalls = desk.slack.callsTo('chat.postMessage');
    const okPosts = postCalls.filter((c) => c.status === 200 && c.ok);
    const gaps = okPosts.slice(1).map((c, i) => c.time - okPosts[i]!.time);
    const sum = (f: (t: (typeof threads)[number]) => number) => threads.reduce((a, t) => a + f(t), 0);
    const drainMs = drainedAt === undefined ? null : drainedAt - start;
    return {
      params: { ...p, fakePostRate: POST_RATE, channel: CHANNEL },
      webhooks: answers.length,
      webhooksNot200: answers.filter((a) => a.status !== 200).length,
      ingestMs: ingestedAt - start,
      drained: drainMs !== null,
      drainMs,
      drainTimeoutMs: timeoutMs,
      floorMs,
      ratioToFloor: drainMs === null || floorMs === 0 ? null : Math.round((drainMs / floorMs) * 1000) / 1000,
      // The app's own best case under its budget (src/core/outbox/budgets.ts): the burst, then one post per interval.
      appSpacingFloorMs: appSpacingFloorMs(posts),
      postMessageCalls: postCalls.length,
      postMessageOk: okPosts.length,
      headerPosts: okPosts.filter((c) => !c.args.thread_ts).length,
      threadPosts: okPosts.filter((c) => c.args.thread_ts).length,
      rateLimited429: desk.slack.rateLimitedCount,
      chatUpdateCalls: desk.slack.callsTo('chat.update').length,
      messagesExpected: sum((t) => t.lost + t.visible),
      messagesLost: sum((t) => t.lost),
      duplicates: sum((t) => t.duplicates),
      misplaced: sum((t) => t.misplaced),
      orderViolations: sum((t) => t.orderViolations),
      postsPerConversation: distribution(threads.map((t) => t.posts)),
      postSpacingMs: distribution(gaps),
      logWarnings: desk.logs.warnings,
      logErrors: desk.logs.errors,
      firstLogProblems: [...desk.logs.firstProblems],
    };
  } finally {
    await desk.close();
  }
}

/** Posts after the budget's burst go one per interval (GCRA in src/runtime/limiters.ts). */
function appSpacingFloorMs(posts: number): number {
  const budget = BUDGETS['slack:post']!;
  return Math.max(0, posts - (budget.burst ?? 1)) * budget.minTimeMs;
}
