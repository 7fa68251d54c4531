/** One GCRA check (gcra.ts): the call may go now and the schedule moves on, or it must wait. */
export type GcraDecision = { go: true; next: number } | { go: false; waitMs: number };

/**
 * One step of GCRA (the generic cell rate algorithm) over a theoretical
 * arrival time (TAT): a call may go up to `(burst − 1) × intervalMs` before
 * the TAT, and a call that goes pushes the TAT one interval past the later of
 * the old TAT and now. A call
 * that may not go yet is told how long to wait and changes nothing. The stores
 * compute the same in their atomic check-and-reserve (the Redis one in Lua,
 * store/redis/lua-scripts.ts).
 */
export function checkGcra(tat: number, now: number, intervalMs: number, burst: number): GcraDecision {
  const earliest = tat - (burst - 1) * intervalMs;
  if (now < earliest) return { go: false, waitMs: earliest - now };
  return { go: true, next: Math.max(tat, now) + intervalMs };
}
