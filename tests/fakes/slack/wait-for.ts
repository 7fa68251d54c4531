import type { EventEmitter } from 'node:events';

/** Values a predicate may return to mean "not yet". */
export type Falsy = false | 0 | '' | null | undefined;

/**
 * Resolves with the first truthy value of `predicate(subject)`, re-checking
 * on every `change` event of `events` and every 20 ms (for conditions that
 * depend on more than the fake). A predicate that throws counts as "not yet";
 * its last error is reported on timeout together with `describe()`.
 */
export function waitFor<S, R>(
  subject: S,
  events: EventEmitter,
  predicate: (subject: S) => R,
  timeoutMs: number,
  describe: () => string,
): Promise<Exclude<R, Falsy>> {
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const check = (): boolean => {
      try {
        const value = predicate(subject);
        if (value) {
          finish();
          resolve(value as Exclude<R, Falsy>);
          return true;
        }
      } catch (error) {
        lastError = error;
      }
      return false;
    };
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      finish();
      const cause = lastError instanceof Error ? `\nLast predicate error: ${lastError.message}` : '';
      reject(new Error(`waitFor: condition not met within ${timeoutMs} ms.\n${describe()}${cause}`));
    }, timeoutMs);
    const finish = (): void => {
      clearInterval(poll);
      clearTimeout(timer);
      events.off('change', check);
    };
    events.on('change', check);
    check();
  });
}
