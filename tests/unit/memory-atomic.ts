import type { AtomicPort } from '../../src/core/ports.js';

/**
 * An in-memory AtomicPort for unit tests: a Map with TTLs on an injectable
 * clock. `jitterMs` makes every operation wait a random 0..jitterMs first, so
 * concurrent callers interleave like replicas talking to one Redis.
 */
export class MemoryAtomic implements AtomicPort {
  readonly values = new Map<string, { value: string; expiresAt: number | undefined }>();

  constructor(private readonly now: () => number = Date.now, private readonly jitterMs = 0, private readonly random: () => number = Math.random) {}

  private async turn(): Promise<void> {
    if (this.jitterMs > 0) await new Promise((r) => setTimeout(r, Math.floor(this.random() * this.jitterMs)));
    else await Promise.resolve();
  }

  private live(key: string): string | undefined {
    const v = this.values.get(key);
    if (!v) return undefined;
    if (v.expiresAt !== undefined && v.expiresAt <= this.now()) { this.values.delete(key); return undefined; }
    return v.value;
  }

  private put(key: string, value: string, ttlMs?: number): void {
    this.values.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    await this.turn();
    if (this.live(key) !== undefined) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async getString(key: string): Promise<string | undefined> {
    await this.turn();
    return this.live(key);
  }

  async setString(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.turn();
    this.put(key, value, ttlMs);
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    await this.turn();
    if (this.live(key) !== expected) return false;
    this.values.delete(key);
    return true;
  }

  async compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    await this.turn();
    if (this.live(key) !== expected) return false;
    this.put(key, next, ttlMs);
    return true;
  }

  async deleteString(key: string): Promise<void> {
    await this.turn();
    this.values.delete(key);
  }
}

/** A small deterministic PRNG (mulberry32), so "random" tests fail the same way every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
