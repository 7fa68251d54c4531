import { StoreUnavailableError } from '../store-errors.js';

/**
 * node-redis errors that mean "no answer from Redis" rather than "Redis
 * answered with an error". @redis/client is not a direct dependency, so they
 * are recognised by class name (the classes do not set `name`).
 */
const CONNECTION_ERRORS = new Set([
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'DisconnectsClientError',
  'ReconnectStrategyError',
  'SocketClosedUnexpectedlyError',
  'SocketTimeoutError',
  'TimeoutError',
  'CommandTimeoutDuringMaintenanceError',
  'SocketTimeoutDuringMaintenanceError',
]);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Turns a failed Redis call into what the caller should see: connection
 * faults become {@link StoreUnavailableError} (retry later; /readyz fails),
 * while error replies (WRONGTYPE, a script error: bugs) pass through unchanged.
 */
export function classifyRedisError(error: unknown, where: string): unknown {
  if (!(error instanceof Error)) return error;
  const errno = (error as NodeJS.ErrnoException).code;
  if (CONNECTION_ERRORS.has(error.constructor.name) || (errno !== undefined && CONNECTION_ERRNOS.has(errno))) {
    return new StoreUnavailableError(`Redis at ${where} is unavailable: ${error.message || error.constructor.name}`, {
      cause: error,
    });
  }
  return error;
}
