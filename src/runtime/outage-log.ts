import type { Logger } from './logger.js';

/**
 * Logs an outage once: a warning at the first failure, an info line at the
 * first success after it. Calls in between are silent, so an outage met by
 * every call of a burst is one line, not one per call.
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly log: Logger,
    private readonly text: { down: string; up: string },
  ) {}

  get isDown(): boolean { return this.down; }

  failed(err: unknown, fields: Record<string, unknown> = {}): void {
    if (this.down) return;
    this.down = true;
    this.log.warn({ ...fields, err: String(err) }, this.text.down);
  }

  succeeded(fields: Record<string, unknown> = {}): void {
    if (!this.down) return;
    this.down = false;
    this.log.info(fields, this.text.up);
  }
}
