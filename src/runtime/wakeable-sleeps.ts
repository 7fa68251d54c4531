/** Timers that `wakeAll` ends early, so a stopping worker does not wait out a backoff. */
export class WakeableSleeps {
  private readonly sleepers = new Set<() => void>();

  /**
   * @param wait How a sleep passes when nobody wakes it: a real timer unless
   *   given (the timer scheduler passes its Clock's `sleep`, so a fake clock
   *   drives it in tests).
   */
  constructor(private readonly wait?: (ms: number) => Promise<void>) {}

  /** Resolves after `ms`, or as soon as `wakeAll` is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let t: NodeJS.Timeout | undefined;
      const wake = () => { if (t) clearTimeout(t); this.sleepers.delete(wake); resolve(); };
      if (this.wait) void this.wait(ms).then(wake, wake);
      else t = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Ends every pending sleep now. */
  wakeAll(): void {
    for (const wake of this.sleepers) wake();
  }
}
