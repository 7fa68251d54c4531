import { randomBytes } from 'node:crypto';
import type { Logger } from '../../runtime/logger.js';

/**
 * Long slash commands go on after Slack heard the acknowledgement (it wants
 * one within 3 s): their work runs here, detached from the request. A fault
 * is logged with a short reference and told to the person who asked, with
 * the same reference; `settle` lets a shutdown wait for running work.
 */
export class RunAfterAck {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Starts `work` (the command `what`); `tell` reaches the person who asked. */
  start(what: string, work: () => Promise<void>, tell: (text: string) => Promise<void>): void {
    const job: Promise<void> = work()
      .catch(async (err: unknown) => {
        const ref = randomBytes(3).toString('hex');
        this.log.error({ ref, command: what, err: String(err) }, 'a long command failed after it was acknowledged');
        await tell(`⚠️ \`${what}\` failed (reference ${ref}). Run it again; if it fails again, give the reference to whoever runs the desk.`)
          .catch((e: unknown) => this.log.warn({ ref, err: String(e) }, 'could not tell the caller that a long command failed'));
      })
      .finally(() => { this.running.delete(job); });
    this.running.add(job);
  }

  /** Waits up to `ms` for the work still running; resolves with how many did not finish in time. */
  async settle(ms: number): Promise<number> {
    if (!this.running.size) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.running), new Promise((r) => { timer = setTimeout(r, ms); })]);
    clearTimeout(timer);
    return this.running.size;
  }
}
