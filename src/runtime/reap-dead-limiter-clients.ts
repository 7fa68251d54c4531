/**
 * How a shared limiter slot held by a dead process comes back within seconds.
 *
 * Protocol facts (bottleneck 2.19.5, src/redis/*.lua): a slot ("running"
 * weight) is given back only when its job calls `free` or when the job's
 * `expiration` passes (process_tick.lua); a client is dropped for silence
 * (`clientTimeout`) only once it runs nothing. So a client killed inside a job
 * keeps the slot until the limiter's keys expire (`timeout`, 15 min here).
 * Every live client, however, writes `client_last_seen` on each heartbeat
 * (validate_client.lua, every `heartbeatInterval`), also while its job runs.
 *
 * Why not a short `expiration` alone: it cannot be extended while a job runs
 * (the local timer frees the slot and rejects the job), and a delivery may
 * legitimately take a minute (a media download plus an upload, each call with
 * its own 10–30 s timeout). An expiration short enough to recover in seconds
 * would free slots of live calls; one above the longest call recovers in minutes.
 *
 * So liveness decides: a client whose heartbeat stopped for `DEAD_AFTER_MS`,
 * seen so at two sweeps in a row, is dead, and its jobs get an expiration of
 * 0, which is what free.lua does for a finished job; the next tick of any
 * client frees the weight and announces the capacity. The second sighting is
 * needed because bottleneck itself sets a live client's `last_seen` to 0 when
 * it misses a capacity hand-over (blacklist_client.lua) until its next
 * heartbeat, 250 ms later.
 *
 * A live process whose event loop stalls longer than `DEAD_AFTER_MS` loses its
 * slot too: its call may then overlap the next one to that destination (the
 * budget still holds: spacing is kept by `minTime` and the GCRA state), and
 * its lane still waits for its own call, so no item is sent twice.
 */

/** Heartbeat silence after which a limiter client counts as dead (bottleneck heartbeats every 250 ms here). */
export const DEAD_AFTER_MS = 3_000;
/** Time between two sweeps; a dead client's slot is freed at most DEAD_AFTER_MS + 2 × SWEEP_MS + a tick after its death. */
export const SWEEP_MS = 1_000;

/*
 * KEYS: job_expirations, job_clients, client_running, client_last_seen of one limiter.
 * ARGV: now (ms, the clients' clock, as bottleneck's own scripts use), DEAD_AFTER_MS,
 * then the suspects of the previous sweep. Returns {jobs reaped, suspects now}.
 */
const SCRIPT = `
local stale_before = tonumber(ARGV[1]) - tonumber(ARGV[2])
local function stale(client)
  local seen = tonumber(redis.call('zscore', KEYS[4], client))
  return seen ~= nil and seen < stale_before
end
local confirmed = {}
local any = false
for i = 3, #ARGV do
  if stale(ARGV[i]) then confirmed[ARGV[i]] = true; any = true end
end
local reaped = 0
if any then
  local jobs = redis.call('hgetall', KEYS[2])
  for i = 1, #jobs, 2 do
    if confirmed[jobs[i + 1]] then
      redis.call('zadd', KEYS[1], 0, jobs[i])
      reaped = reaped + 1
    end
  end
end
local suspects = {}
for _, client in ipairs(redis.call('zrangebyscore', KEYS[4], '-inf', '(' .. stale_before)) do
  if not confirmed[client] and (tonumber(redis.call('zscore', KEYS[3], client)) or 0) > 0 then
    table.insert(suspects, client)
  end
end
return {reaped, suspects}
`;

/** The part of an ioredis client the sweep uses. */
export interface EvalClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Remembers the suspects of each limiter between sweeps. */
export class DeadClientReaper {
  private readonly suspects = new Map<string, string[]>();

  /**
   * One sweep of the limiters with these ids (bottleneck's limiter id: a
   * group's `<group id>-<key>`), through their shared Redis client. Returns
   * how many jobs of dead clients were freed.
   */
  async sweep(client: EvalClient, limiterIds: readonly string[], now: number): Promise<number> {
    let reaped = 0;
    for (const id of limiterIds) {
      const keys = ['job_expirations', 'job_clients', 'client_running', 'client_last_seen'].map((k) => `b_${id}_${k}`);
      const [freed, suspects] = (await client.eval(SCRIPT, keys.length, ...keys, now, DEAD_AFTER_MS, ...(this.suspects.get(id) ?? []))) as [number, string[]];
      reaped += freed;
      if (suspects.length) this.suspects.set(id, suspects);
      else this.suspects.delete(id);
    }
    for (const id of this.suspects.keys()) if (!limiterIds.includes(id)) this.suspects.delete(id);
    return reaped;
  }
}
