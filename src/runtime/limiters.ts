import Bottleneck from 'bottleneck';
import { budgetOf, type Budget } from '../core/outbox/budgets.js';
import type { SpacingPort } from '../core/ports.js';
import { DestinationQueue } from './destination-queue.js';
import { GcraGate, LimiterStoppedError } from './gcra-gate.js';
import type { Logger } from './logger.js';
import { OutageLog } from './outage-log.js';
import { bottleneckRedisOptions } from './bottleneck-redis-options.js';
import { runToEnd } from './run-to-end.js';
import { DEAD_AFTER_MS, DeadClientReaper, SWEEP_MS, type EvalClient } from './reap-dead-limiter-clients.js';


/** Most calls one slot runs back to back, and how long it keeps starting more (destination-queue.ts). */
const MAX_CALLS_PER_SLOT = 32;
const MAX_SLOT_MS = 250;
/**
 * With Redis, how long a slot whose calls ran out waits for the next before it
 * is given back: taking and giving back a slot are several bottleneck scripts
 * (~0.6 ms of CPU per post at 200 posts/s when every post took its own slot,
 * bench/README.md "throughput"); a replica waiting for the slot waits this much longer at most.
 */
const SLOT_LINGER_MS = 10;

export interface LimitersOptions {
  redisUrl?: string | undefined;
  prefix: string;
  log: Logger;
  /** Redis connection errors of bottleneck (heartbeats during an outage); the caller throttles them. */
  onError?: (err: unknown) => void;
  /** Where the GCRA state lives (the store), shared by replicas; without it, this process's memory. */
  state?: SpacingPort;
  /** The send budgets of the configured messengers and channels, by destination class. */
  budgets: Readonly<Record<string, Budget>>;
}

/**
 * One bottleneck limiter per destination (a Slack channel, a WhatsApp number…)
 * with the spacing of its budget class. With Redis, bottleneck runs in
 * clustering mode so every replica shares one budget per destination.
 *
 * bottleneck's Redis mode needs ioredis (`datastore:'ioredis'`; node-redis ≥4
 * never becomes ready) and a short heartbeat, or a job queued on a second
 * replica waits up to the default 5 s (reference/offline-sdks.md §4). The
 * heartbeat is also how a replica killed inside a job is told dead, so its
 * slot is freed within seconds (reap-dead-limiter-clients.ts).
 */
export class Limiters {
  private readonly groups = new Map<string, Bottleneck.Group>();
  /** The calls waiting per destination in this process; a queue is dropped once idle. */
  private readonly queues = new Map<string, DestinationQueue>();
  private readonly connection: Bottleneck.IORedisConnection | undefined;
  private readonly onError: (err: unknown) => void;
  private readonly gcra: GcraGate;
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LimitersOptions) {
    this.onError = opts.onError ?? (() => {});
    this.gcra = new GcraGate({
      state: opts.state,
      outage: new OutageLog(opts.log, {
        down: 'rate limiter state unreadable or unwritable; sends to the destinations that allow a burst wait until the store answers (check the store and REDIS_URL)',
        up: 'rate limiter state readable again; sends resume',
      }),
      recordOutage: new OutageLog(opts.log, {
        down: 'rate limiter state: could not record the end of a call; this process keeps the spacing, other replicas may send up to one call\'s duration early until the store answers (check the store and REDIS_URL)',
        up: 'rate limiter state: recording the end of calls works again',
      }),
    });
    if (opts.redisUrl) {
      this.connection = new Bottleneck.IORedisConnection({ clientOptions: bottleneckRedisOptions(opts.redisUrl) });
      // A Redis outage must not crash the process: the store's readiness check reports it.
      this.connection.on('error', (err: unknown) => this.onError(err));
      this.sweeper = this.sweepDeadHolders();
    }
  }

  /** Runs `job` in a slot of `destination`'s limiter, spaced by its budget (at once for a local budget). */
  schedule<T>(destination: string, job: () => Promise<T>): Promise<T> {
    // A limiter per destination (with Redis: scripts, a subscription, a heartbeat) only delays a local send.
    if (budgetOf(destination, this.opts.budgets).local) return job();
    let queue = this.queues.get(destination);
    if (!queue) {
      queue = this.queueFor(destination);
      this.queues.set(destination, queue);
    }
    return queue.push(job);
  }

  private queueFor(destination: string): DestinationQueue {
    const budget = budgetOf(destination, this.opts.budgets);
    const { burst } = budget;
    // A budget with no spacing has nothing for the gate to pace (a TAT read and write per call for nothing).
    const paced = burst && budget.minTimeMs > 0 ? { ...budget, burst } : undefined;
    // Alone (no Redis: no other replica shares the destination) and with no spacing for bottleneck to keep
    // (the GCRA gate paces, or nothing needs pacing), the queue's own count of drainers is the whole limit:
    // a bottleneck job per slot would only cost turns of the event loop (~0.2 ms of CPU per post at
    // 200 posts/s, bench/README.md "throughput").
    const alone = !this.connection && (burst !== undefined || budget.minTimeMs === 0);
    const queue: DestinationQueue = new DestinationQueue({
      // The group may have retired an idle limiter since, so it is looked up for every slot.
      slot: alone ? (drain) => drain() : (drain) => runToEnd(this.group(destination, budget).key(destination), drain),
      maxDrainers: budget.maxConcurrent,
      // With a burst the GCRA gate paces each call inside the slot, and with no spacing there is
      // nothing to pace: one slot may run several calls. Otherwise bottleneck's minTime spaces the
      // slots, so each runs one call.
      maxCallsPerSlot: burst || budget.minTimeMs === 0 ? MAX_CALLS_PER_SLOT : 1,
      maxSlotMs: MAX_SLOT_MS,
      lingerMs: alone ? 0 : SLOT_LINGER_MS,
      run: paced
        ? async (job) => {
          const ticket = await this.gcra.turn(destination, paced);
          try {
            return await job();
          } finally {
            await this.gcra.record(destination, paced, ticket);
          }
        }
        : (job) => job(),
      onIdle: () => { if (this.queues.get(destination) === queue) this.queues.delete(destination); },
    });
    return queue;
  }

  private group(destination: string, budget: Budget): Bottleneck.Group {
    const cls = destination.split(':').slice(0, 2).join(':');
    let group = this.groups.get(cls);
    if (group) return group;
    group = new Bottleneck.Group({
      id: `${this.opts.prefix}${cls}`,
      // With a burst, the pacing happens inside the slot (GCRA); bottleneck only serialises.
      minTime: budget.burst ? 0 : budget.minTimeMs,
      maxConcurrent: budget.maxConcurrent,
      ...(this.connection ? {
        datastore: 'ioredis', connection: this.connection, heartbeatInterval: 250, clientTimeout: DEAD_AFTER_MS,
        clearDatastore: false, timeout: 15 * 60_000,
      } : {}),
    });
    // Redis errors inside bottleneck (heartbeats during an outage) are events, not crashes.
    group.on('created', (limiter) => limiter.on('error', (err: unknown) => this.onError(err)));
    this.groups.set(cls, group);
    return group;
  }

  /** Every SWEEP_MS, frees the slots that dead replicas hold in the limiters this process waits on. */
  private sweepDeadHolders(): NodeJS.Timeout {
    const reaper = new DeadClientReaper();
    let sweeping = false;
    const timer = setInterval(() => {
      const waitedOn = this.waitedOn();
      // Every limiter here shares the one connection, so any of them lends its Redis client.
      const client = waitedOn[0]?.limiter.clients().client as EvalClient | undefined;
      if (sweeping || !client) return;
      sweeping = true;
      void reaper.sweep(client, waitedOn.map((w) => w.id), Date.now()).then(
        (freed) => { if (freed > 0) this.opts.log.warn({ freed, silentForMs: DEAD_AFTER_MS }, 'freed rate limiter slots held by a replica that stopped (no heartbeat); sends to those destinations go on from here'); },
        (err: unknown) => this.onError(err),
      ).finally(() => { sweeping = false; });
    }, SWEEP_MS);
    timer.unref();
    return timer;
  }

  /** The limiters in which this process has jobs waiting for a slot: only a waiter needs a dead holder's slot. */
  private waitedOn(): { id: string; limiter: Bottleneck }[] {
    const found: { id: string; limiter: Bottleneck }[] = [];
    for (const [cls, group] of this.groups) {
      // bottleneck names a group's limiter `<group id>-<key>` (lib/Group.js).
      for (const { key, limiter } of group.limiters()) if (limiter.queued() > 0) found.push({ id: `${this.opts.prefix}${cls}-${key}`, limiter });
    }
    return found;
  }

  /** Rejects jobs still waiting for a slot (their items stay in the outbox); running ones finish. */
  async dropWaiting(): Promise<void> {
    this.gcra.stop();
    for (const queue of this.queues.values()) queue.dropWaiting(new LimiterStoppedError());
    for (const g of this.groups.values()) {
      for (const l of g.limiters()) {
        try { await l.limiter.stop({ dropWaitingJobs: true }); } catch { /* already stopped */ }
      }
    }
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.gcra.stop();
    // disconnect() returns a promise in some bottleneck paths and nothing in others.
    const quietly = async (f: () => unknown) => { try { await f(); } catch { /* closing anyway */ } };
    // The shared connection goes first: once it is terminated, the limiters skip their
    // per-channel UNSUBSCRIBE, whose promise bottleneck never awaits (an unhandled rejection).
    if (this.connection) await quietly(() => this.connection!.disconnect(false));
    for (const g of this.groups.values()) {
      for (const l of g.limiters()) await quietly(() => l.limiter.disconnect(false));
    }
  }
}
