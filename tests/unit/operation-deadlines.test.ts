import { describe, expect, it } from 'vitest';
import { OperationDeadlines } from '../../src/store/redis/operation-deadlines.js';

describe('OperationDeadlines (one watchdog for every Redis operation in flight)', () => {
  it('rejects an operation that never answers with store_unavailable, soon after its timeout', async () => {
    const deadlines = new OperationDeadlines(200, 'redis://127.0.0.1:6379');
    const started = Date.now();
    const error = await deadlines.run(() => new Promise(() => {})).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_unavailable' });
    expect(String(error)).toContain('did not answer within 200 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    // Within a sweep (SWEEP_MS) of the deadline; the bound leaves room for a stalled CI machine
    // while still failing a sweep ten times as slow.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('passes answers and error replies through, and classifies a lost connection', async () => {
    const deadlines = new OperationDeadlines(1000, 'redis://127.0.0.1:6379');
    expect(await deadlines.run(async () => 'OK')).toBe('OK');
    await expect(deadlines.run(async () => { throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value'); })).rejects.toThrow('WRONGTYPE');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    await expect(deadlines.run(async () => { throw reset; })).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('keeps many operations on one timer, and none soon after nothing is in flight', async () => {
    // The watchdogs of the tests before stop at their next sweep.
    await new Promise((r) => setTimeout(r, 250));
    const deadlines = new OperationDeadlines(1000, 'redis://127.0.0.1:6379');
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    let finish!: () => void;
    const gate = new Promise<void>((r) => { finish = r; });
    const running = Array.from({ length: 100 }, () => deadlines.run(() => gate));
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length - before).toBeLessThanOrEqual(1);
    finish();
    await Promise.all(running);
    // The next sweep finds nothing in flight and stops the timer (it does not stop and start per command).
    await new Promise((r) => setTimeout(r, 250));
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});
