import { StoreUnavailableError } from '../store-errors.js';
import { classifyRedisError } from './classify-redis-error.js';

/**
 * Runs one operation with a deadline. node-redis already drops a command
 * still waiting in its offline queue after `commandTimeoutMs` (so it never
 * runs late), but a command written to a connection that then goes silent
 * waits for the socket to fail; this deadline bounds that case too. A
 * timed-out write may or may not have been applied, as with any network
 * timeout: callers retry idempotently.
 */
export async function runWithDeadline<T>(operation: () => Promise<T>, commandTimeoutMs: number, where: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`Redis at ${where} did not answer within ${commandTimeoutMs} ms.`)),
      commandTimeoutMs + 100,
    );
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    throw classifyRedisError(error, where);
  } finally {
    clearTimeout(timer);
  }
}
