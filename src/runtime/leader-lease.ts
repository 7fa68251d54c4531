import type { AtomicPort } from '../core/ports.js';
import type { Logger } from './logger.js';

/** Where leases live: the shared store, and whether other replicas share it. */
export interface LeaseStore {
  atomic: Pick<AtomicPort, 'setIfAbsent' | 'compareAndSet' | 'compareAndDelete'>;
  /** False with the embedded store: one process owns DATA_DIR, so it always leads. */
  shared: boolean;
}

export interface LeaderLeaseOptions extends LeaseStore {
  /** The lease's key, or how to find it (Telegram names it after the bot, known once getMe answered). */
  key: string | (() => Promise<string>);
  /** This process (unique per start). */
  owner: string;
  /** How long the lease lives without renewal: a dead holder is replaced after at most this long. */
  ttlMs: number;
}

/** How {@link LeaderLease.keep} holds the lease by itself. */
export interface KeepOptions {
  renewMs: number;
  /** How often a standby tries to take the lease. */
  pollMs: number;
  log: Logger;
  /** What is led, for the log lines ("Discord gateway"). */
  name: string;
  /** Became the leader: connect. Not awaited by the lease loop (renewals go on meanwhile). */
  onAcquire(): Promise<void>;
  /** Lost (or gave up) the lease: disconnect at once. */
  onLose(): Promise<void>;
  /** Called after every successful renewal. */
  onRenew?(): Promise<void>;
}

/**
 * One leader among the replicas (SPEC §3), for the Discord gateway and
 * Telegram polling: `SET NX PX` to take the lease, compare-and-set to renew
 * it, compare-and-delete to hand it over on a clean stop. A caller either
 * drives it ({@link hold} before each round of work, as the Telegram poller
 * does) or lets it run ({@link keep}). A leader that cannot renew (the store
 * away) steps down before its lease can expire, so two leaders never run on
 * purpose; a killed leader's lease expires after `ttlMs`.
 */
export class LeaderLease {
  private leading = false;
  private lastRenewed = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private kept: KeepOptions | undefined;

  constructor(private readonly o: LeaderLeaseOptions) {}

  get isLeader(): boolean { return this.leading; }

  /** Takes the lease or renews it, once; true while this process holds it. Throws when the store cannot be reached. */
  async hold(): Promise<boolean> {
    if (!this.o.shared) { this.leading = true; return true; }
    const key = await this.key();
    const held = this.leading
      ? await this.o.atomic.compareAndSet(key, this.o.owner, this.o.owner, this.o.ttlMs)
      : await this.o.atomic.setIfAbsent(key, this.o.owner, this.o.ttlMs);
    if (held) this.lastRenewed = Date.now();
    this.leading = held;
    return held;
  }

  /** Gives the lease up (a clean stop), so a standby takes it at once. */
  async release(): Promise<void> {
    const was = this.leading;
    this.leading = false;
    if (was && this.o.shared) await this.o.atomic.compareAndDelete(await this.key(), this.o.owner).catch(() => false);
  }

  /** Holds the lease by itself: renews every `renewMs` while leading, tries every `pollMs` while standing by. */
  keep(k: KeepOptions): void {
    this.kept = k;
    if (!this.o.shared) {
      this.leading = true;
      void k.onAcquire();
      return;
    }
    void this.tick(k);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    await this.kept?.onLose();
    await this.release();
  }

  private async tick(k: KeepOptions): Promise<void> {
    if (this.stopped) return;
    const was = this.leading;
    try {
      const held = await this.hold();
      if (held && !was) {
        if (this.stopped) { await this.release(); return; }
        k.log.info({ lease: await this.key() }, `took the ${k.name} lease; connecting`);
        void k.onAcquire();
      } else if (held) {
        await k.onRenew?.();
      } else if (was) {
        k.log.warn({ lease: await this.key() }, `lost the ${k.name} lease to another replica; disconnecting`);
        await this.stepDown(k);
      }
    } catch (err) {
      // The store is unreachable: keep leading only while the lease surely has not expired.
      if (this.leading && Date.now() - this.lastRenewed > this.o.ttlMs - k.renewMs) {
        k.log.warn({ err: String(err) }, `cannot renew the ${k.name} lease; disconnecting so another replica can take over`);
        await this.stepDown(k);
      }
    }
    if (this.stopped) return;
    const jitter = Math.floor(Math.random() * 200);
    this.timer = setTimeout(() => void this.tick(k), (this.leading ? k.renewMs : k.pollMs) + jitter);
  }

  private async stepDown(k: KeepOptions): Promise<void> {
    this.leading = false;
    await k.onLose().catch((err: unknown) => k.log.warn({ err: String(err) }, `${k.name} did not stop cleanly`));
  }

  private async key(): Promise<string> {
    return typeof this.o.key === 'string' ? this.o.key : this.o.key();
  }
}
