/**
 * Send budgets of the platforms (SPEC §8, reference/platform-facts.md), as data
 * each messenger and channel module declares. A destination key starts with one
 * of their classes; the runtime keeps one
 * bottleneck limiter per destination with the class's spacing.
 *
 * Spacing (`minTimeMs`, plus a GCRA `burst` where the platform allows one)
 * rather than bottleneck's reservoir: a reservoir refilled on bottleneck's own
 * timer is not aligned with the platform's bucket and can overrun it right
 * after an idle period; a theoretical-arrival-time schedule never does.
 */
export interface Budget {
  /** Minimum time between two calls to one destination (with `burst`: the steady interval). */
  minTimeMs: number;
  /** Calls in flight at once to one destination. */
  maxConcurrent: number;
  /**
   * Calls allowed back to back after a quiet period, as the platform's own
   * bucket allows (GCRA: a call may go `(burst − 1) × minTimeMs` ahead of its
   * theoretical time). With `maxConcurrent` above 1 the calls may overlap:
   * each reserves its place in the schedule atomically before it waits.
   */
  burst?: number;
  /**
   * No platform to keep under: the call runs at once, in this process, with
   * no limiter slot at all (web chat, whose "send" is a store write and a push
   * to sockets here). The lane still delivers one item at a time, in order.
   */
  local?: boolean;
}

/** The budget class of a destination key (`slack:post:C123` → `slack:post`), from the modules' budgets. */
export function budgetOf(destination: string, budgets: Readonly<Record<string, Budget>>): Budget {
  const cls = destination.split(':').slice(0, 2).join(':');
  const budget = budgets[cls];
  if (!budget) throw new Error(`no send budget for destination class '${cls}' (destination ${destination})`);
  return budget;
}
