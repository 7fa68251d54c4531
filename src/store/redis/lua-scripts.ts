/**
 * Lua scripts for the operations Redis has no single command for. A script
 * runs atomically: no other command executes between its first and last call.
 */

/** KEYS[1] atomic key; ARGV[1] expected. Returns 1 when it deleted. */
export const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * KEYS[1] atomic key; ARGV[1] expected, ARGV[2] next, ARGV[3] TTL in ms or ''.
 * Without a TTL the key keeps its expiry (KEEPTTL, Redis >= 6.0), the same as
 * the embedded store. Returns 1 when it replaced.
 */
export const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`;

/** KEYS[1] set, KEYS[2] list; ARGV[1] member. Returns 1 when it removed the member. */
export const REMOVE_MEMBER_IF_LIST_EMPTY = `
if redis.call('LLEN', KEYS[2]) == 0 then
  return redis.call('SREM', KEYS[1], ARGV[1])
end
return 0`;
