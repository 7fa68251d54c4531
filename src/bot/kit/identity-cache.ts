/**
 * Who the bot is on its messenger, fetched once and kept. A failed call is
 * not cached, so the next caller tries again (the SDKs' own caches would keep
 * a rejected promise forever when the platform was unreachable at start, or
 * retry forever inside one request). Each messenger's `identity.ts` supplies
 * only its platform call.
 */
export class IdentityCache<T> {
  private known: T | undefined;
  private pending: Promise<T> | undefined;

  constructor(private readonly fetch: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.known !== undefined) return Promise.resolve(this.known);
    this.pending ??= this.fetch().then(
      (v) => { this.known = v; return v; },
      (err: unknown) => { this.pending = undefined; throw err; },
    );
    return this.pending;
  }

  /** The identity as the platform announced it by other means (Discord's READY): no call needed. */
  set(value: T): void {
    this.known = value;
  }

  /** The identity once known, without a call. */
  get current(): T | undefined { return this.known; }
}
