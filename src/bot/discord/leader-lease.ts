import type { AtomicPort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';

export interface LeaderLeaseOptions {
  atomic: AtomicPort;
  key: string;
  /** This process (unique per start). */
  owner: string;
  /** False with the embedded store: one process owns DATA_DIR, so it always leads. */
  shared: boolean;
  /** How long the lease lives without renewal: a dead holder is replaced after at most this long. */
  ttlMs: number;
  renewMs: number;
  /** How often a standby tries to take the lease. */
  pollMs: number;
  log: Logger;
  /** Became the leader: connect. Not awaited by the lease loop (renewals go on meanwhile). */
  onAcquire(): Promise<void>;
  /** Lost (or gave up) the lease: disconnect at once. */
  onLose(): Promise<void>;
  /** Called after every successful renewal. */
  onRenew?(): Promise<void>;
}

/**
 * One leader among the replicas (SPEC §3: "a Discord gateway connection runs
 * on one elected leader"): `SET NX PX` to take the lease, compare-and-set to
 * renew it every `renewMs`, compare-and-delete to hand it over on a clean
 * stop. A leader that cannot renew (Redis away) steps down before its lease
 * can expire, so two gateways never run on purpose; a killed leader's lease
 * expires after `ttlMs` and a standby takes it within `pollMs` more.
 */
export class LeaderLease {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastRenewed = 0;
  private stopped = false;

  constructor(private readonly o: LeaderLeaseOptions) {}

  get isLeader(): boolean { return this.leading; }

  start(): void {
    if (!this.o.shared) {
      this.leading = true;
      void this.o.onAcquire();
      return;
    }
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    await this.o.onLose();
    if (this.o.shared) await this.o.atomic.compareAndDelete(this.o.key, this.o.owner).catch(() => false);
  }

  private async tick(): Promise<void> {
    const { atomic, key, owner, ttlMs, log } = this.o;
    if (this.stopped) return;
    try {
      if (!this.leading) {
        if (await atomic.setIfAbsent(key, owner, ttlMs)) {
          if (this.stopped) { await atomic.compareAndDelete(key, owner); return; }
          this.leading = true;
          this.lastRenewed = Date.now();
          log.info({ key }, 'took the Discord gateway lease; connecting');
          void this.o.onAcquire();
        }
      } else if (await atomic.compareAndSet(key, owner, owner, ttlMs)) {
        this.lastRenewed = Date.now();
        await this.o.onRenew?.();
      } else {
        log.warn({ key }, 'lost the Discord gateway lease to another replica; disconnecting');
        await this.stepDown();
      }
    } catch (err) {
      // The store is unreachable: keep leading only while the lease surely has not expired.
      if (this.leading && Date.now() - this.lastRenewed > ttlMs - this.o.renewMs) {
        log.warn({ err: String(err) }, 'cannot renew the Discord gateway lease; disconnecting so another replica can take over');
        await this.stepDown();
      }
    }
    if (this.stopped) return;
    const jitter = Math.floor(Math.random() * 200);
    this.timer = setTimeout(() => void this.tick(), (this.leading ? this.o.renewMs : this.o.pollMs) + jitter);
  }

  private async stepDown(): Promise<void> {
    this.leading = false;
    await this.o.onLose().catch((err: unknown) => this.o.log.warn({ err: String(err) }, 'gateway did not disconnect cleanly'));
  }
}
