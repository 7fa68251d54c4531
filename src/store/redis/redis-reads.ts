import type { RedisClient } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';

/** Counters read per MGET (see `readCounters`). */
const COUNTER_READ_SLICE = 5000;

/** Counter values in `keys`' order (0 for none), by MGET in slices, so thousands of counters never build one huge command. */
export async function readCounters(client: RedisClient, redisKeys: RedisKeys, keys: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < keys.length; i += COUNTER_READ_SLICE) {
    const values = await client.mGet(keys.slice(i, i + COUNTER_READ_SLICE).map((k) => redisKeys.counter(k)));
    for (const v of values) out.push(v === null ? 0 : Number(v));
  }
  return out;
}

/** ZRANGE … BYSCORE [LIMIT 0 n] WITHSCORES of the sorted set at `redisKey`: Redis orders equal scores by member, bytewise. */
export async function rangeByScore(client: RedisClient, redisKey: string, min: number, max: number, limit?: number): Promise<{ member: string; score: number }[]> {
  const reply = await client.zRangeByScoreWithScores(redisKey, scoreBound(min), scoreBound(max),
    limit === undefined ? undefined : { LIMIT: { offset: 0, count: limit } });
  return reply.map(({ value, score }) => ({ member: value, score }));
}

/** A range bound as Redis reads it: `-inf`/`+inf` for an open end, else the number itself. */
function scoreBound(bound: number): string | number {
  if (bound === Number.NEGATIVE_INFINITY) return '-inf';
  if (bound === Number.POSITIVE_INFINITY) return '+inf';
  return bound;
}
