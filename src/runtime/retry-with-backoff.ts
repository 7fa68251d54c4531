/**
 * How an inbound delivery that failed is retried (issue 9: nothing lost,
 * nothing stops it). The Telegram poller and the Discord message handler use
 * the same policy:
 *
 * - the delivery is tried again after 1 s, 2 s, 4 s … up to 30 s between
 *   attempts; later deliveries of the same stream wait behind it, so order
 *   is kept;
 * - a passing fault (the store unreachable, the delivery still marked in
 *   flight) is retried for as long as it lasts: the whole desk waits for the
 *   store anyway, and giving up would lose the message;
 * - any other fault is retried for 5 minutes; a delivery that still fails
 *   then is a poison delivery: the caller logs it at error with its id and
 *   type, counts it in `/metrics` (`inbound_given_up_total`) and moves on, so
 *   one bad update cannot hold the desk for ever.
 */
export interface RetryPolicy {
  /** The wait after the first failure. */
  firstDelayMs: number;
  /** The longest wait between two attempts (the wait doubles up to it). */
  maxDelayMs: number;
  /** How long a delivery may keep failing with faults that are not passing before it is given up. */
  giveUpAfterMs: number;
}

/** The policy of inbound deliveries (see the file comment). */
export const INBOUND_RETRY: RetryPolicy = { firstDelayMs: 1000, maxDelayMs: 30_000, giveUpAfterMs: 5 * 60_000 };

export type RetryOutcome =
  | { kind: 'done'; attempts: number }
  /** Still failing after `giveUpAfterMs`; `error` is the last fault. */
  | { kind: 'gave_up'; attempts: number; error: unknown; failingForMs: number }
  /** The signal was aborted (shutdown, leadership lost): the work may be handed out again later. */
  | { kind: 'stopped'; attempts: number };

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Faults retried for as long as they last; {@link isPassingFault} unless given. */
  isPassing?: (err: unknown) => boolean;
  /** Called after each failed attempt that will be tried again. */
  onFailure?: (err: unknown, attempt: number, retryInMs: number) => void;
  /** Aborting ends the waiting at once and makes the outcome `stopped`. */
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The delivery is already being processed by someone (another request, a
 * process that may have died and whose mark has not cleared yet). It is a
 * passing fault: try again later, never treat the delivery as done.
 */
export class DeliveryInFlightError extends Error {
  readonly code = 'delivery_in_flight';

  constructor(what: string) {
    super(`${what} is still being processed elsewhere; it is tried again once that finishes or its mark expires`);
    this.name = 'DeliveryInFlightError';
  }
}

const PASSING_CODES: ReadonlySet<string> = new Set(['store_unavailable', 'delivery_in_flight']);

/** True for faults that clear by themselves: the store unreachable, a delivery in flight elsewhere (also when wrapped, as grammY's BotError wraps). */
export function isPassingFault(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PASSING_CODES.has(code)) return true;
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs `run` until it succeeds, following the policy (see the file comment). */
export async function retryWithBackoff(run: () => Promise<void>, o: RetryOptions = {}): Promise<RetryOutcome> {
  const policy = o.policy ?? INBOUND_RETRY;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const isPassing = o.isPassing ?? isPassingFault;
  let delay = policy.firstDelayMs;
  let firstFailureAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) return { kind: 'stopped', attempts: attempt - 1 };
    try {
      await run();
      return { kind: 'done', attempts: attempt };
    } catch (err) {
      if (o.signal?.aborted) return { kind: 'stopped', attempts: attempt };
      firstFailureAt ??= now();
      const failingForMs = now() - firstFailureAt;
      if (failingForMs >= policy.giveUpAfterMs && !isPassing(err)) return { kind: 'gave_up', attempts: attempt, error: err, failingForMs };
      o.onFailure?.(err, attempt, delay);
      await sleep(delay, o.signal);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** A pause that ends early when `signal` is aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** A fault as a log field: its message and code, unwrapped from grammY's BotError. */
export function describeFault(err: unknown): { err: string; code?: string } {
  const inner = (err as { error?: unknown })?.error ?? err;
  const code = (inner as { code?: unknown })?.code;
  return { err: String(inner), ...(typeof code === 'string' ? { code } : {}) };
}
