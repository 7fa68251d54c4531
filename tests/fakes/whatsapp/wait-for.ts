/**
 * Polls `predicate` until it returns a truthy value and resolves with that
 * value; rejects after `timeoutMs` with a message naming what was awaited.
 * The fakes record deliveries asynchronously, so tests wait on the record
 * instead of sleeping for a guessed time.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
