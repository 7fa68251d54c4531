/**
 * Faults a store raises. Each carries a stable `code` so callers (the HTTP
 * layer, /readyz, the outbox workers) can branch on it without parsing text.
 */

/** The backing store cannot be reached right now (Redis down, timed out). Retry later. */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The store was used after `close()`: a shutdown-ordering bug in the caller. */
export class StoreClosedError extends Error {
  readonly code = 'store_closed';

  constructor(kind: 'embedded' | 'redis') {
    super(`The ${kind} store is closed; it cannot be used after close().`);
    this.name = 'StoreClosedError';
  }
}
