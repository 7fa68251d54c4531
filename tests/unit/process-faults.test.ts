import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyFault, FatalProcessError, FAULT_EXIT_CODE, installFaultPolicy } from '../../src/runtime/process-faults.js';
import { createLogger } from '../../src/runtime/logger.js';

/**
 * SPEC §10: an uncaught error is logged with a reference and the bot keeps
 * serving; only an unsafe process state ends it, with a clear line and a
 * non-zero exit code.
 */

function setup(o: { stormLimit?: number; starting?: () => boolean } = {}) {
  const source = new EventEmitter();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>); cb(); } });
  const exits: number[] = [];
  let clock = 1_000_000;
  let ref = 0;
  const remove = installFaultPolicy(source, {
    log: createLogger('info', sink),
    exit: (code) => exits.push(code),
    now: () => clock,
    newReference: () => `ref${++ref}`,
    ...(o.stormLimit !== undefined ? { stormLimit: o.stormLimit, stormWindowMs: 60_000 } : {}),
    ...(o.starting ? { starting: o.starting } : {}),
  });
  return { source, lines, exits, remove, tick: (ms: number) => { clock += ms; } };
}

describe('classifyFault', () => {
  it('keeps serving after an ordinary bug, a stack overflow of one request or a rejected promise with no Error', () => {
    expect(classifyFault(new TypeError("Cannot read properties of null (reading 'id')"))).toEqual({ fatal: false });
    expect(classifyFault(new RangeError('Maximum call stack size exceeded'))).toEqual({ fatal: false });
    expect(classifyFault('just a string')).toEqual({ fatal: false });
    expect(classifyFault(Object.assign(new Error('redis went away'), { code: 'store_unavailable' }))).toEqual({ fatal: false });
  });

  it('stops for errors flagged fatal by our code, memory exhaustion, a damaged store file and a broken assertion', () => {
    expect(classifyFault(new FatalProcessError('store_lost', 'the data directory was removed'))).toEqual({ fatal: true, reason: 'flagged fatal by threaddesk (store_lost)' });
    expect(classifyFault({ fatal: true })).toMatchObject({ fatal: true });
    expect(classifyFault(new RangeError('Array buffer allocation failed'))).toEqual({ fatal: true, reason: 'out of memory' });
    expect(classifyFault(Object.assign(new Error('malloc'), { code: 'ERR_MEMORY_ALLOCATION_FAILED' }))).toMatchObject({ fatal: true });
    expect(classifyFault(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }))).toEqual({ fatal: true, reason: 'unsafe state: SQLITE_CORRUPT' });
    expect(classifyFault(Object.assign(new Error('x == y'), { code: 'ERR_ASSERTION' }))).toMatchObject({ fatal: true });
  });
});

describe('installFaultPolicy', () => {
  it('logs an uncaught exception and an unhandled rejection with a reference each and does not exit', () => {
    const { source, lines, exits } = setup();
    source.emit('uncaughtException', new TypeError('boom in a timer'));
    source.emit('unhandledRejection', 'a bare reason');
    expect(exits).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, kind: 'uncaughtException', reference: 'ref1', fault: expect.objectContaining({ name: 'TypeError', message: 'boom in a timer', stack: expect.any(String) }), msg: expect.stringContaining('kept serving (reference ref1)') }),
      expect.objectContaining({ level: 50, kind: 'unhandledRejection', reference: 'ref2', fault: { message: 'a bare reason' } }),
    ]);
  });

  it('exits with its exit code and one fatal line naming the reason for a fatal error', () => {
    const { source, lines, exits } = setup();
    source.emit('unhandledRejection', new FatalProcessError('store_lost', 'gone'));
    expect(exits).toEqual([FAULT_EXIT_CODE]);
    expect(FAULT_EXIT_CODE).not.toBe(0);
    expect(lines).toEqual([expect.objectContaining({ level: 60, reason: 'flagged fatal by threaddesk (store_lost)', exitCode: FAULT_EXIT_CODE, msg: expect.stringMatching(/^threaddesk is stopping: flagged fatal .*reference ref1.*Restart it/) })]);
  });

  it('exits once when errors keep coming faster than the storm limit, and not for the same count spread over time', () => {
    const slow = setup({ stormLimit: 3 });
    for (let i = 0; i < 10; i++) { slow.source.emit('uncaughtException', new Error(`slow ${i}`)); slow.tick(30_000); }
    expect(slow.exits).toEqual([]);

    const fast = setup({ stormLimit: 3 });
    for (let i = 0; i < 10; i++) { fast.source.emit('uncaughtException', new Error(`fast ${i}`)); fast.tick(1000); }
    expect(fast.exits).toEqual([FAULT_EXIT_CODE]);
    expect(fast.lines.filter((l) => l.level === 60)).toEqual([expect.objectContaining({ reason: '4 uncaught errors within 60 s' })]);
  });

  it('treats any uncaught error during start-up as fatal', () => {
    let starting = true;
    const { source, exits } = setup({ starting: () => starting });
    source.emit('uncaughtException', new Error('bug while starting'));
    expect(exits).toEqual([FAULT_EXIT_CODE]);
    starting = false;
    const later = setup({ starting: () => starting });
    later.source.emit('uncaughtException', new Error('bug while serving'));
    expect(later.exits).toEqual([]);
  });

  it('logs a rejection reason that cannot be turned into a string', () => {
    const { source, lines, exits } = setup();
    source.emit('unhandledRejection', Object.create(null));
    expect(exits).toEqual([]);
    expect(lines[0]).toMatchObject({ fault: { message: '[object Object]' } });
  });

  it('stops listening once removed', () => {
    const { source, remove } = setup();
    remove();
    expect(source.listenerCount('uncaughtException') + source.listenerCount('unhandledRejection')).toBe(0);
  });
});
