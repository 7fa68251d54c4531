import { writeSync } from 'node:fs';

/** Longest a log line waits before it is written (the lines of that span leave in one write). */
export const LOG_BATCH_MS = 20;

/**
 * The log's way out (pino's destination): lines are gathered and written to
 * `fd` together, at most {@link LOG_BATCH_MS} after the first of them, and at
 * once when the process exits (`exit` runs for process.exit, the fault
 * policy's exits and the end of the event loop). pino's default writes each
 * line with its own system call: at a few hundred deliveries a second that
 * was ~0.12 ms of main-thread CPU per message on our 2-core VM (a profile at
 * 200 msg/s, bench/README.md "throughput"), a write to a pipe waking its
 * reader on the other core each time. What a `kill -9` can take: the lines
 * of the last {@link LOG_BATCH_MS}.
 */
export class BatchedOutput {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fd: number,
    private readonly delayMs = LOG_BATCH_MS,
    private readonly writeOut: (fd: number, data: Buffer) => number = writeSync,
  ) {}

  write(line: string): void {
    this.pending.push(line);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Writes what is gathered now, whole (a pipe may take it in parts, or ask to wait). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    let data = Buffer.from(this.pending.join(''));
    this.pending = [];
    while (data.length > 0) {
      try {
        data = data.subarray(this.writeOut(this.fd, data));
      } catch (err) {
        // Nowhere to write (a closed pipe): the lines are dropped; throwing would only log again, into it.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        // A non-blocking pipe whose reader is behind: wait a moment for it rather than lose lines.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}

/** stdout, batched, flushed when the process exits. */
export function batchedStdout(): BatchedOutput {
  const out = new BatchedOutput(1);
  process.on('exit', () => out.flush());
  return out;
}
