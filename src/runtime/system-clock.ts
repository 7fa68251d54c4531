import { setTimeout as wait } from 'node:timers/promises';
import type { Clock } from '../core/ports.js';

/** The real clock: wall time from `Date.now()`, waits on a timer. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => { await wait(ms); },
};
