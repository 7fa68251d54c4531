import type { StatePort } from '../../src/bot/kit/state-port.js';
import { MemoryAtomic } from './memory-atomic.js';

/** An in-memory StatePort for unit tests: MemoryAtomic's string keys, plus JSON values and sets in Maps. */
export function memoryState(now: () => number = Date.now): StatePort & { atomic: MemoryAtomic } {
  const atomic = new MemoryAtomic(now);
  const json = new Map<string, unknown>();
  const sets = new Map<string, Set<string>>();
  return {
    atomic,
    setIfAbsent: (k, v, ttl) => atomic.setIfAbsent(k, v, ttl),
    getString: (k) => atomic.getString(k),
    setString: (k, v, ttl) => atomic.setString(k, v, ttl),
    compareAndDelete: (k, e) => atomic.compareAndDelete(k, e),
    compareAndSet: (k, e, n, ttl) => atomic.compareAndSet(k, e, n, ttl),
    deleteString: (k) => atomic.deleteString(k),
    async get<T>(k: string) { return json.get(k) as T | undefined; },
    async set<T>(k: string, v: T) { json.set(k, v); },
    async delete(k) { return json.delete(k); },
    async addMember(k, m) { sets.set(k, (sets.get(k) ?? new Set()).add(m)); },
    async removeMember(k, m) { sets.get(k)?.delete(m); },
    async members(k) { return [...(sets.get(k) ?? [])]; },
  };
}
