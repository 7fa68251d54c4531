import { loadavg } from 'node:os';

/** Above this 1-minute load average the machine is not quiet and the figures measure the neighbours too (issue 18: "load < 0.6 at start"). */
export const QUIET_LOAD = 0.6;
/** Longest a run waits for the machine to become quiet before it starts anyway (and says so). */
export const QUIET_WAIT_MS = 150_000;

const load1m = () => Math.round(loadavg()[0]! * 100) / 100;

/**
 * Waits until the 1-minute load average is under {@link QUIET_LOAD}, at most
 * `maxWaitMs`. The average trails: right after a case of the same run (or a
 * test suite) it is still high though the cores are idle, and falls by about
 * 1/e a minute; a case that started then would record itself as not quiet.
 * Returns how long it waited and the load it starts at.
 */
export async function waitForQuietMachine(maxWaitMs = QUIET_WAIT_MS, pollMs = 2000): Promise<{ waitedSeconds: number; loadAverage1m: number; quiet: boolean }> {
  const started = Date.now();
  if (load1m() >= QUIET_LOAD) console.log(`\n   waiting up to ${Math.round(maxWaitMs / 1000)} s for the 1-minute load average (${load1m()}) to fall under ${QUIET_LOAD}…`);
  while (load1m() >= QUIET_LOAD && Date.now() - started + pollMs <= maxWaitMs) await new Promise((r) => setTimeout(r, pollMs));
  const loadAverage1m = load1m();
  return { waitedSeconds: Math.round((Date.now() - started) / 100) / 10, loadAverage1m, quiet: loadAverage1m < QUIET_LOAD };
}

/**
 * A run's start: waits for a quiet machine ({@link waitForQuietMachine}),
 * warns when it did not become quiet, and returns what the results record.
 */
export async function startWhenQuiet() {
  const { waitedSeconds, loadAverage1m, quiet } = await waitForQuietMachine();
  if (!quiet) console.warn(`\n   WARNING: the 1-minute load average is ${loadAverage1m} (≥ ${QUIET_LOAD}) after ${waitedSeconds} s of waiting: other work is running and these figures measure it too. Rerun on a quiet machine for figures to compare.`);
  return { loadAverage1mAtStart: loadAverage1m, quietAtStart: quiet, waitedForQuietSeconds: waitedSeconds };
}
