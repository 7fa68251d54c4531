import type { AtomicPort, KeyValuePort, SetPort } from '../../core/ports.js';

/**
 * A messenger adapter's own state in the shared store (topics, thread
 * registry, attempt markers, leases), every key inside its namespace: the
 * adapter names keys without the prefix, and cannot touch the desk's keys.
 */
export type StatePort = AtomicPort & Pick<KeyValuePort, 'get' | 'set' | 'delete'> & Pick<SetPort, 'addMember' | 'removeMember' | 'members'>;

/** The store seen through `prefix` (the composition root passes `<messenger>:`). */
export function scopedState(store: StatePort, prefix: string): StatePort {
  const k = (key: string) => `${prefix}${key}`;
  return {
    setIfAbsent: (key, value, ttlMs, options) => store.setIfAbsent(k(key), value, ttlMs, options),
    getString: (key) => store.getString(k(key)),
    setString: (key, value, ttlMs, options) => store.setString(k(key), value, ttlMs, options),
    compareAndDelete: (key, expected) => store.compareAndDelete(k(key), expected),
    compareAndSet: (key, expected, next, ttlMs) => store.compareAndSet(k(key), expected, next, ttlMs),
    deleteString: (key) => store.deleteString(k(key)),
    get<T>(key: string) { return store.get<T>(k(key)); },
    set<T>(key: string, value: T, ttlMs?: number) { return store.set<T>(k(key), value, ttlMs); },
    delete: (key) => store.delete(k(key)),
    addMember: (key, member) => store.addMember(k(key), member),
    removeMember: (key, member) => store.removeMember(k(key), member),
    members: (key) => store.members(k(key)),
  };
}
