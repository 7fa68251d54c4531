import { checkGcra } from '../../core/outbox/gcra.js';
import type { SpacingPort, SpacingReservation } from '../../core/ports.js';
import type { AtomicKeySql } from './atomic-key-sql.js';
import { expiresAt } from './expires-at.js';

type ReserveRequest = Parameters<SpacingPort['reserveSpacing']>[1];

/** The number in atomic key `key` (0 when absent); throws when it holds anything else. */
function storedNumber(atomicKeys: AtomicKeySql, key: string, now: number): number {
  const raw = atomicKeys.select(key, now);
  const value = Number(raw ?? 0);
  if (!Number.isFinite(value)) throw new Error(`unreadable value '${raw}' in ${key}: expected a number (a rate limiter's schedule); delete the key`);
  return value;
}

/** SpacingPort.reserveSpacing on the embedded store's statements (the caller runs it in one transaction). */
export function reserveSpacingSql(atomicKeys: AtomicKeySql, key: string, o: ReserveRequest): SpacingReservation {
  const tatBefore = Math.max(storedNumber(atomicKeys, key, Date.now()), o.floor);
  const decision = checkGcra(tatBefore, o.now, o.intervalMs, o.burst);
  if (!decision.go) return decision;
  atomicKeys.upsert({ key, value: String(decision.next), expiresAt: expiresAt(o.ttlMs) });
  return { go: true, tatBefore };
}

/** SpacingPort.shiftSpacing on the embedded store's statements. */
export function shiftSpacingSql(atomicKeys: AtomicKeySql, key: string, byMs: number, ttlMs: number): void {
  if (atomicKeys.select(key, Date.now()) === undefined) return;
  atomicKeys.upsert({ key, value: String(storedNumber(atomicKeys, key, Date.now()) + byMs), expiresAt: expiresAt(ttlMs) });
}
