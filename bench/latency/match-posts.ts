import type { RecordedCall } from '../../tests/fakes/slack/index.js';

/**
 * Finds, in the fake Slack's recorded calls, when each customer text and each
 * header card first reached it (`time` is when the request arrived). Reads
 * only calls it has not seen yet, so it can be asked again cheaply while a
 * run finishes.
 */
export class PostMatcher {
  private scanned = 0;
  /** text → arrival of the first accepted chat.postMessage carrying it (a coalesced post carries several, one per line). */
  readonly textAt = new Map<string, number>();
  /** customer name → arrival of the header card naming them. */
  readonly headerAt = new Map<string, number>();
  /** Posts that carried more than one text. */
  coalescedPosts = 0;

  constructor(private readonly names: ReadonlySet<string>, private readonly nameOf: (headerJson: string) => string | undefined) {}

  scan(calls: readonly RecordedCall[]): void {
    for (; this.scanned < calls.length; this.scanned++) {
      const call = calls[this.scanned]!;
      if (call.method !== 'chat.postMessage' || call.status !== 200 || !call.ok) continue;
      if (call.args.thread_ts) {
        const lines = String(call.args.text ?? '').split('\n');
        if (lines.length > 1) this.coalescedPosts += 1;
        for (const line of lines) if (!this.textAt.has(line)) this.textAt.set(line, call.time);
      } else {
        const name = this.nameOf(JSON.stringify(call.args));
        if (name && this.names.has(name) && !this.headerAt.has(name)) this.headerAt.set(name, call.time);
      }
    }
  }
}
