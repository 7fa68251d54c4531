/** Where each kind of key lives under the store's prefix. */
export interface RedisKeys {
  atomic(key: string): string;
  list(key: string): string;
  set(key: string): string;
  sortedSet(key: string): string;
  counter(key: string): string;
}

/** Keys as `<prefix>atomic:<key>`, `<prefix>list:<key>`, `<prefix>set:<key>` and `<prefix>zset:<key>`; counters `<prefix>counter:<key>`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    atomic: (key) => `${prefix}atomic:${key}`,
    list: (key) => `${prefix}list:${key}`,
    set: (key) => `${prefix}set:${key}`,
    sortedSet: (key) => `${prefix}zset:${key}`,
    counter: (key) => `${prefix}counter:${key}`,
  };
}
