/** Where each kind of key lives under the store's prefix. */
export interface RedisKeys {
  /** A KV record as keyv writes it: namespace `<prefix>kv`, @keyv/redis's `::` separator (open-redis-store.ts). */
  kv(key: string): string;
  atomic(key: string): string;
  list(key: string): string;
  set(key: string): string;
  sortedSet(key: string): string;
  counter(key: string): string;
}

/** KV records at `<prefix>kv::<key>`; keys as `<prefix>atomic:<key>`, `<prefix>list:<key>`, `<prefix>set:<key>` and `<prefix>zset:<key>`; counters `<prefix>counter:<key>`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    kv: (key) => `${kvNamespace(prefix)}::${key}`,
    atomic: (key) => `${prefix}atomic:${key}`,
    list: (key) => `${prefix}list:${key}`,
    set: (key) => `${prefix}set:${key}`,
    sortedSet: (key) => `${prefix}zset:${key}`,
    counter: (key) => `${prefix}counter:${key}`,
  };
}

/** keyv's namespace for the store's KV records (the adapter adds `::` before the key). */
export function kvNamespace(prefix: string): string {
  return `${prefix}kv`;
}
