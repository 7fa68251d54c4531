import { SLACK_BUDGETS } from '../../src/bot/slack/budgets.js';

/**
 * The desk spaces chat.postMessage to one channel 1 s apart (SPEC §8), and
 * every new conversation lands in the one default channel, so at 20 messages/s
 * a mirror waits behind up to 20 others and the figure measures the budget,
 * not the desk. For the pipeline figure the bench sets that spacing to 0 in
 * its own process before the app starts (bottleneck reads it when the
 * channel's limiter is made); src/ is unchanged and every other budget stays.
 * Posts to a channel still go one at a time (maxConcurrent 1).
 */
export function liftPostSpacing(): { was: number } {
  const budget = SLACK_BUDGETS['slack:post'];
  if (!budget) throw new Error("SLACK_BUDGETS has no 'slack:post' entry: src/bot/slack/budgets.ts changed, update the bench");
  const was = budget.minTimeMs;
  budget.minTimeMs = 0;
  return { was };
}
