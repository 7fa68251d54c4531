/** How often readiness may call the platform: often enough to notice it going away, rarely enough to spend no budget. */
export const PING_INTERVAL_MS = 15_000;

/**
 * The readiness check of a messenger (`/readyz`): `call` (auth.test, getMe,
 * GET /users/@me) at most once every `intervalMs`; in between, the last
 * answer is repeated, a failure as the same error.
 */
export function cachedPing(call: () => Promise<unknown>, intervalMs = PING_INTERVAL_MS, now: () => number = Date.now): () => Promise<void> {
  let last: { at: number; error?: unknown } | undefined;
  return async () => {
    if (last && now() - last.at < intervalMs) {
      if ('error' in last) throw last.error;
      return;
    }
    try {
      await call();
      last = { at: now() };
    } catch (err) {
      last = { at: now(), error: err };
      throw err;
    }
  };
}
