import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry, type AuditInput } from '../../src/core/audit-log.js';
import { sha256Hex } from '../../src/runtime/sha256-hex.js';
import { keys } from '../../src/core/keys.js';
import type { AtomicPort, Clock } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import { MemoryAtomic } from './memory-atomic.js';

/**
 * SPEC §9: the audit log is append-only and hash-chained, so `/audit verify`
 * can show it is intact, and names the entry where someone changed, removed
 * or reordered the stored log. Run over an in-memory port and the embedded
 * store.
 */

const GENESIS = '0'.repeat(64);

class StepClock implements Clock {
  t = Date.UTC(2026, 2, 1, 8, 0);
  now(): number { return (this.t += 1000); }
  async sleep(ms: number): Promise<void> { this.t += ms; }
}

interface Backend { port: AtomicPort; close(): Promise<void> }

const backends: [string, () => Promise<Backend>][] = [
  ['an in-memory atomic port', async () => ({ port: new MemoryAtomic(), close: async () => {} })],
  ['the embedded store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'threaddesk-audit-'));
    const store = await openStore({ dataDir: dir });
    return { port: store, close: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
  }],
];

const inputs: AuditInput[] = [
  { action: 'seat.add', actor: 'slack:U0ADMIN', target: 'seat-ana', after: { roles: ['agent'] }, outcome: 'ok' },
  { action: 'role.grant', actor: 'slack:U0ADMIN', target: 'seat-ana', before: { roles: ['agent'] }, after: { roles: ['agent', 'supervisor'] }, outcome: 'ok' },
  { action: 'data.export', actor: 'seat-ana', detail: '1200 rows', outcome: 'denied' },
  { action: 'chat.claim', actor: 'seat-bob', target: 'conv-9', outcome: 'ok' },
  { action: 'seat.disable', actor: 'slack:U0ADMIN', target: 'seat-bob', outcome: 'ok' },
];

describe.each(backends)('the audit log on %s', (_name, open) => {
  let backend: Backend;
  let log: AuditLog;
  afterEach(async () => { await backend?.close(); });

  const fresh = async (n = inputs.length) => {
    backend = await open();
    log = new AuditLog(backend.port, new StepClock(), sha256Hex);
    const written: AuditEntry[] = [];
    for (const input of inputs.slice(0, n)) written.push(await log.append(input));
    return written;
  };
  const raw = (seq: number) => backend.port.getString(keys.auditEntry(seq));
  const stored = async (seq: number) => JSON.parse((await raw(seq))!) as AuditEntry;
  const overwrite = (seq: number, entry: unknown) => backend.port.setString(keys.auditEntry(seq), typeof entry === 'string' ? entry : JSON.stringify(entry));

  it('numbers entries from 1 and chains each to the hash of the one before', async () => {
    const written = await fresh();
    expect(written.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(written[0]!.prevHash).toBe(GENESIS);
    for (let i = 1; i < written.length; i++) expect(written[i]!.prevHash).toBe(written[i - 1]!.hash);
    expect(new Set(written.map((e) => e.hash)).size).toBe(5);
    for (const e of written) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores each entry as it was returned, with its time from the injected clock', async () => {
    const written = await fresh();
    for (const e of written) expect(await stored(e.seq)).toEqual(e);
    expect(written[1]!.at - written[0]!.at).toBe(1000);
    expect(written[1]).toMatchObject(inputs[1]!);
  });

  it('reports an intact log with the number of entries', async () => {
    await fresh();
    expect(await log.verify()).toEqual({ intact: true, entries: 5 });
  });

  it('reports an empty log as intact', async () => {
    await fresh(0);
    expect(await log.verify()).toEqual({ intact: true, entries: 0 });
  });

  it('lists entries newest first, filtered and limited', async () => {
    await fresh();
    expect((await log.list(10)).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect((await log.list(2)).map((e) => e.seq)).toEqual([5, 4]);
    expect((await log.list(10, (e) => e.actor === 'slack:U0ADMIN')).map((e) => e.action)).toEqual(['seat.disable', 'role.grant', 'seat.add']);
  });

  it.each([
    ['actor', (e: AuditEntry) => ({ ...e, actor: 'slack:U0SOMEONEELSE' })],
    ['action', (e: AuditEntry) => ({ ...e, action: 'chat.claim' })],
    ['outcome', (e: AuditEntry) => ({ ...e, outcome: 'ok' })],
    ['time', (e: AuditEntry) => ({ ...e, at: e.at + 1 })],
    ['after value', (e: AuditEntry) => ({ ...e, after: { roles: ['agent', 'admin'] } })],
    ['removed detail', (e: AuditEntry) => { const { detail: _d, ...rest } = e; return rest; }],
    ['added target', (e: AuditEntry) => ({ ...e, target: 'seat-eve' })],
  ])('names entry 3 when its %s was changed in the store', async (_field, tamper) => {
    await fresh();
    await overwrite(3, tamper(await stored(3)));
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 3, reason: 'content does not match its hash' });
  });

  it('names the first entry and the last entry when they are changed', async () => {
    await fresh();
    await overwrite(1, { ...(await stored(1)), actor: 'nobody' });
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 1 });
    await fresh();
    await overwrite(5, { ...(await stored(5)), target: 'seat-eve' });
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 5 });
  });

  it('names the next entry when a changed entry\'s own hash was recomputed to match', async () => {
    await fresh();
    const e = await stored(2);
    const changed = { ...e, after: { roles: ['agent', 'admin'] } };
    const canonical = JSON.stringify([changed.seq, changed.at, changed.prevHash, changed.action, changed.actor, changed.target ?? null, changed.before ?? null, changed.after ?? null, changed.outcome ?? null, changed.detail ?? null]);
    const rehashed = { ...changed, hash: createHash('sha256').update(canonical).digest('hex') };
    await overwrite(2, rehashed);
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 3, reason: 'previous-hash link does not match' });
  });

  it('names a deleted entry in the middle', async () => {
    await fresh();
    await backend.port.deleteString(keys.auditEntry(2));
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 2, reason: 'entry is missing' });
  });

  it('names the newest entry when it is deleted', async () => {
    await fresh();
    await backend.port.deleteString(keys.auditEntry(5));
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 5, reason: 'entry is missing' });
  });

  it('names the first swapped position when two entries are reordered', async () => {
    await fresh();
    const [two, three] = [await raw(2), await raw(3)];
    await overwrite(2, three!);
    await overwrite(3, two!);
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 2, reason: 'sequence number changed' });
  });

  it('names a moved entry even when its seq field was rewritten to fit the new place', async () => {
    await fresh();
    const four = await stored(4);
    await overwrite(2, { ...four, seq: 2 });
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('names an entry whose stored text is not JSON', async () => {
    await fresh();
    await overwrite(4, '{"seq":4,');
    expect(await log.verify()).toEqual({ intact: false, entries: 5, brokenAt: 4, reason: 'entry is not valid JSON' });
  });

  it('keeps the chain going after a middle entry was deleted, and still names the gap', async () => {
    await fresh();
    await backend.port.deleteString(keys.auditEntry(3));
    const next = await log.append({ action: 'chat.close', actor: 'seat-ana', target: 'conv-9' });
    expect(next.seq).toBe(6);
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 3 });
  });

  it('continues the chain from the stored entries when the head pointer is behind', async () => {
    await fresh();
    await backend.port.setString(keys.auditHead(), '2');
    const next = await log.append({ action: 'chat.close', actor: 'seat-ana' });
    expect(next.seq).toBe(6);
    expect(next.prevHash).toBe((await stored(5)).hash);
    expect(await log.verify()).toEqual({ intact: true, entries: 6 });
  });

  it('never forks the chain when many appends race', async () => {
    await fresh(0);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => log.append({ action: 'chat.claim', actor: `seat-${i}` })));
    expect(results.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Every entry links to the stored one before it.
    for (let seq = 2; seq <= 25; seq++) expect((await stored(seq)).prevHash).toBe((await stored(seq - 1)).hash);
    const report = await log.verify();
    expect(report.intact).toBe(true);
  });
});
