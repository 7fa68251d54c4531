/**
 * The 24-hour customer service window per customer: a message from the user
 * opens it and each new one restarts it; outside it only templates may be
 * sent (Meta "Send messages" and "Templates overview", platform-facts.md §1
 * [W6, W7]). Tests may also force a window open or closed.
 */
export class CustomerWindows {
  readonly #lastWrote = new Map<string, number>();
  readonly #forced = new Map<string, boolean>();

  constructor(private readonly windowMs: number) {}

  /** Records that `waId` wrote at `atMs`; only a later message moves the window. */
  wrote(waId: string, atMs: number): void {
    const previous = this.#lastWrote.get(waId);
    if (previous === undefined || atMs > previous) this.#lastWrote.set(waId, atMs);
  }

  /** Forces the window for `waId` open or closed regardless of timestamps. */
  force(waId: string, open: boolean): void {
    this.#forced.set(waId, open);
  }

  isOpen(waId: string, nowMs: number): boolean {
    const forced = this.#forced.get(waId);
    if (forced !== undefined) return forced;
    const last = this.#lastWrote.get(waId);
    return last !== undefined && nowMs - last < this.windowMs;
  }

  clear(): void {
    this.#lastWrote.clear();
    this.#forced.clear();
  }
}

/**
 * WhatsApp ids are digits only; the send API accepts `+`, spaces and dashes in
 * `to` and answers with the normalised `wa_id` (Meta "Send messages" response
 * `contacts[{input, wa_id}]`).
 */
export function toWaId(phone: string): string {
  return phone.replace(/[\s+()-]/g, '');
}
