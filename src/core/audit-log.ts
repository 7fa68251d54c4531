import type { AtomicPort, Clock } from './ports.js';
import { keys } from './keys.js';

/**
 * Append-only, hash-chained audit log (SPEC §9). Each entry carries the hash of
 * the one before it, so changing or removing any stored entry breaks the chain
 * at that point and `verify` names it.
 *
 * Entries are written with set-if-absent on their sequence number: of several
 * replicas appending at once, each number is won by exactly one writer and the
 * others move on to the next number, so the chain never forks.
 */
export interface AuditInput {
  action: string;
  /** Seat id or `<platform>:<user id>` of whoever acted. */
  actor: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  outcome?: 'ok' | 'denied' | 'failed';
  detail?: string;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  at: number;
  prevHash: string;
  hash: string;
}

export type VerifyReport = { intact: true; entries: number } | { intact: false; entries: number; brokenAt: number; reason: string };

const GENESIS = '0'.repeat(64);

/** SHA-256 of a text as lowercase hex; given by the composition root, as core does no crypto of its own. */
export type Sha256Hex = (text: string) => string;

function hashOf(entry: Omit<AuditEntry, 'hash'>, sha256: Sha256Hex): string {
  // Canonical JSON: fixed key order so the hash does not depend on insertion order.
  const canonical = JSON.stringify([
    entry.seq, entry.at, entry.prevHash, entry.action, entry.actor, entry.target ?? null,
    entry.before ?? null, entry.after ?? null, entry.outcome ?? null, entry.detail ?? null,
  ]);
  return sha256(canonical);
}

export class AuditLog {
  /** Told about every appended entry (the security monitor listens); a listener's failure never fails the append. */
  private readonly listeners: ((entry: AuditEntry) => Promise<void>)[] = [];

  constructor(private readonly atomic: AtomicPort, private readonly clock: Clock, private readonly sha256: Sha256Hex) {}

  onAppend(listener: (entry: AuditEntry) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async append(input: AuditInput): Promise<AuditEntry> {
    let seq = Number((await this.atomic.getString(keys.auditHead())) ?? '0');
    // The head pointer may lag behind a concurrent writer: walk forward to the first free
    // number. Never backwards: a number once used is never written again, so a removed
    // entry stays a hole that `verify` reports.
    for (;;) {
      const next = await this.read(seq + 1);
      if (next) { seq += 1; continue; }
      const prev = seq === 0 ? undefined : await this.read(seq);
      const prevHash = seq === 0 ? GENESIS : (prev?.hash ?? `missing:${seq}`);
      const draft = { ...input, seq: seq + 1, at: this.clock.now(), prevHash };
      const entry: AuditEntry = { ...draft, hash: hashOf(draft, this.sha256) };
      if (await this.atomic.setIfAbsent(keys.auditEntry(entry.seq), JSON.stringify(entry))) {
        await this.atomic.setString(keys.auditHead(), String(entry.seq));
        for (const listener of this.listeners) await listener(entry).catch(() => {});
        return entry;
      }
      seq += 1;
    }
  }

  async read(seq: number): Promise<AuditEntry | undefined> {
    const raw = await this.atomic.getString(keys.auditEntry(seq));
    return raw === undefined ? undefined : (JSON.parse(raw) as AuditEntry);
  }

  /** Entries from newest to oldest, at most `limit`, optionally filtered. */
  async list(limit: number, filter: (e: AuditEntry) => boolean = () => true): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let seq = Number((await this.atomic.getString(keys.auditHead())) ?? '0');
    while (seq > 0 && out.length < limit) {
      const e = await this.read(seq);
      if (e && filter(e)) out.push(e);
      seq -= 1;
    }
    return out;
  }

  /** Walks the whole chain from the first entry and reports the first broken one. */
  async verify(): Promise<VerifyReport> {
    const head = Number((await this.atomic.getString(keys.auditHead())) ?? '0');
    let prevHash = GENESIS;
    for (let seq = 1; seq <= head; seq++) {
      const raw = await this.atomic.getString(keys.auditEntry(seq));
      if (raw === undefined) return { intact: false, entries: head, brokenAt: seq, reason: 'entry is missing' };
      let entry: AuditEntry;
      try { entry = JSON.parse(raw) as AuditEntry; } catch {
        return { intact: false, entries: head, brokenAt: seq, reason: 'entry is not valid JSON' };
      }
      const { hash, ...rest } = entry;
      if (entry.seq !== seq) return { intact: false, entries: head, brokenAt: seq, reason: 'sequence number changed' };
      if (entry.prevHash !== prevHash) return { intact: false, entries: head, brokenAt: seq, reason: 'previous-hash link does not match' };
      if (hashOf(rest, this.sha256) !== hash) return { intact: false, entries: head, brokenAt: seq, reason: 'content does not match its hash' };
      prevHash = hash;
    }
    return { intact: true, entries: head };
  }
}
