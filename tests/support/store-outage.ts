import type { StorePort } from '../../src/core/ports.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';

/** Every operation of the store ports (the `kind` field aside). */
const OPERATIONS = [
  'get', 'getMany', 'set', 'delete',
  'setIfAbsent', 'getString', 'setString', 'compareAndDelete', 'compareAndSet', 'deleteString',
  'push', 'range', 'dropHead', 'length',
  'addMember', 'removeMember', 'members', 'removeMemberIfListEmpty',
  'zAdd', 'zRemove', 'zScore', 'zRangeByScore', 'zCard',
  'writeAtomically', 'ping',
] as const;

/** A switch on a running app's store: while down, every operation fails as an unreachable store does. */
export interface StoreOutage {
  down(): void;
  up(): void;
  /** Operations refused while down. */
  readonly refused: number;
}

/**
 * Makes the app's own store object fail like a store that cannot be reached
 * (`StoreUnavailableError`, code `store_unavailable`, as the Redis store
 * raises when Redis is gone), for every caller at once: handlers, dedupe,
 * outbox, leases. Deterministic, so a test can take the store away exactly
 * while an update is processed; tests/store/redis-outage.test.ts covers the
 * real Redis connection going away.
 */
export function injectStoreOutage(store: StorePort): StoreOutage {
  let isDown = false;
  let refused = 0;
  const target = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of OPERATIONS) {
    const original = target[name]!.bind(store);
    target[name] = async (...args: unknown[]) => {
      if (isDown) {
        refused += 1;
        throw new StoreUnavailableError(`test outage: the ${store.kind} store is unreachable (${name})`);
      }
      return original(...args);
    };
  }
  return {
    down: () => { isDown = true; },
    up: () => { isDown = false; },
    get refused() { return refused; },
  };
}
