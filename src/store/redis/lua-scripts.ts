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

/**
 * LeasePort.takeLeaseAndRange. KEYS[1] lease (atomic key), KEYS[2] list; ARGV[1] owner,
 * ARGV[2] TTL in ms, ARGV[3] start, ARGV[4] stop. SET NX PX, else a renewal when the lease
 * already names the owner; then LRANGE. Nil (nothing read) when another owner holds it.
 */
export const TAKE_LEASE_AND_RANGE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return false
  end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return redis.call('LRANGE', KEYS[2], ARGV[3], ARGV[4])`;

/** KEYS[1] set, KEYS[2] list; ARGV[1] member. Returns 1 when it removed the member. */
export const REMOVE_MEMBER_IF_LIST_EMPTY = `
if redis.call('LLEN', KEYS[2]) == 0 then
  return redis.call('SREM', KEYS[1], ARGV[1])
end
return 0`;

/**
 * LeasePort.removeMemberIfListEmptyReleasing. KEYS[1] set, KEYS[2] list, KEYS[3] lease (atomic
 * key); ARGV[1] member, ARGV[2] owner. Returns 1 when it removed the member (and then deleted
 * the lease if it named the owner).
 */
export const REMOVE_MEMBER_IF_LIST_EMPTY_RELEASING = `
if redis.call('LLEN', KEYS[2]) ~= 0 or redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if redis.call('GET', KEYS[3]) == ARGV[2] then
  redis.call('DEL', KEYS[3])
end
return 1`;

/**
 * LeasePort.settleListHead. KEYS[1] lease (atomic key), KEYS[2] list, KEYS[3] set, then the key
 * of each extra write in order; ARGV[1] owner ('' for no lease), ARGV[2] lease TTL in ms,
 * ARGV[3] items to drop from the head, ARGV[4] member to retire ('' for none), then per extra
 * write: its command, how many arguments follow the key, and those arguments. Returns 0 (lost:
 * nothing written) when the lease names another owner or none; else drops, writes, and returns
 * 2 when it retired the member (the list empty) and deleted the lease with it, or 1 when it
 * renewed the lease.
 */
export const SETTLE_LIST_HEAD = `
local owner = ARGV[1]
if owner ~= '' and redis.call('GET', KEYS[1]) ~= owner then
  return 0
end
local count = tonumber(ARGV[3])
if count > 0 then
  redis.call('LTRIM', KEYS[2], count, -1)
end
local i, k = 5, 4
while i <= #ARGV do
  local n = tonumber(ARGV[i + 1])
  redis.call(ARGV[i], KEYS[k], unpack(ARGV, i + 2, i + 1 + n))
  i = i + 2 + n
  k = k + 1
end
if ARGV[4] ~= '' and redis.call('LLEN', KEYS[2]) == 0 and redis.call('SREM', KEYS[3], ARGV[4]) == 1 then
  if owner ~= '' then
    redis.call('DEL', KEYS[1])
  end
  return 2
end
if owner ~= '' then
  redis.call('SET', KEYS[1], owner, 'PX', ARGV[2])
end
return 1`;

/** Lua's guard for a stored schedule: a finite number, else an error reply and nothing changed. */
const READ_SCHEDULE = `
local raw = redis.call('GET', KEYS[1])
local tat = 0
if raw then
  tat = tonumber(raw)
  if not tat or tat ~= tat or tat == math.huge or tat == -math.huge then
    return redis.error_reply('unreadable value in ' .. KEYS[1] .. ': expected a number (a rate limiter schedule); delete the key')
  end
end`;

/**
 * SpacingPort.reserveSpacing, the same check as core/outbox/gcra.ts.
 * KEYS[1] atomic key; ARGV now, interval, burst, floor, TTL in ms.
 * Returns {'go', tatBefore} or {'wait', ms}, numbers as strings (a number reply would be truncated).
 */
export const RESERVE_SPACING = `${READ_SCHEDULE}
local now, interval, burst, floor = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if floor > tat then tat = floor end
local earliest = tat - (burst - 1) * interval
if now < earliest then
  return {'wait', string.format('%.17g', earliest - now)}
end
redis.call('SET', KEYS[1], string.format('%.17g', math.max(tat, now) + interval), 'PX', ARGV[5])
return {'go', string.format('%.17g', tat)}`;

/** SpacingPort.shiftSpacing. KEYS[1] atomic key; ARGV[1] ms to add, ARGV[2] TTL in ms. */
export const SHIFT_SPACING = `${READ_SCHEDULE}
if raw then
  redis.call('SET', KEYS[1], string.format('%.17g', tat + tonumber(ARGV[1])), 'PX', ARGV[2])
end
return 1`;
