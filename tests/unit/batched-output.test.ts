import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchedOutput } from '../../src/runtime/batched-output.js';

describe('BatchedOutput (the log\'s destination)', () => {
  afterEach(() => vi.useRealTimers());

  it('writes the lines of one span together, once, after the delay', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const out = new BatchedOutput(1, 20, (_fd, data) => { writes.push(data.toString()); return data.length; });
    out.write('{"a":1}\n');
    out.write('{"b":2}\n');
    vi.advanceTimersByTime(19);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n']);
    out.write('{"c":3}\n');
    vi.advanceTimersByTime(20);
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n', '{"c":3}\n']);
  });

  it('finishes a write the pipe took in parts, and waits out EAGAIN instead of losing lines', () => {
    const writes: string[] = [];
    let calls = 0;
    const out = new BatchedOutput(1, 20, (_fd, data) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      const n = Math.min(4, data.length);
      writes.push(data.subarray(0, n).toString());
      return n;
    });
    out.write('0123456789');
    out.flush();
    expect(writes.join('')).toBe('0123456789');
    expect(calls).toBe(4);
  });

  it('drops the batch when the output is gone (EPIPE) rather than throw from a timer', () => {
    const out = new BatchedOutput(1, 20, () => { throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' }); });
    out.write('line\n');
    expect(() => out.flush()).not.toThrow();
  });

  it('a process that logs and exits at once still writes its lines (flushed on exit)', () => {
    const script = [
      "import { createLogger } from './src/runtime/logger.ts';",
      "import { batchedStdout } from './src/runtime/batched-output.ts';",
      "const log = createLogger('info', batchedStdout());",
      "for (let i = 0; i < 3; i++) log.info({ i }, 'line ' + i);",
      'process.exit(0);',
    ].join('\n');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(['line 0', 'line 1', 'line 2']);
  });
});
