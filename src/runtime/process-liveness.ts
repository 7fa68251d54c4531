import type { AtomicPort } from '../core/ports.js';
import type { ProcessLiveness } from '../core/dedupe.js';
import type { OutageLog } from './outage-log.js';

/** How long a heartbeat keeps a process counted alive; renewed three times within it. */
const ALIVE_MS = 3_000;

export interface RunningLiveness extends ProcessLiveness {
  stop(): Promise<void>;
}

/**
 * Which processes are alive, for marks that name their process (dedupe's
 * in-flight marks). On Redis every replica writes `alive:<id>` with a 3 s TTL
 * once a second, so a replica killed with `kill -9` counts as dead within 3 s
 * and its marks are taken over. The embedded store is owned by exactly one
 * process at a time (the DATA_DIR lock), so there any other process is dead.
 */
/**
 * `outage` is told when a heartbeat fails and when one succeeds again: while
 * they fail, other replicas may count this one dead and take over its
 * in-flight deliveries (a repeat, never a loss), which an operator should see.
 */
export function startProcessLiveness(self: string, atomic: AtomicPort, shared: boolean, outage: Pick<OutageLog, 'failed' | 'succeeded'>): RunningLiveness {
  if (!shared) return { self, isAlive: async (id) => id === self, stop: async () => {} };
  const key = (id: string) => `alive:${id}`;
  const beat = () => atomic.setString(key(self), String(Date.now()), ALIVE_MS).then(() => outage.succeeded(), (err: unknown) => outage.failed(err));
  void beat();
  const timer = setInterval(() => void beat(), ALIVE_MS / 3);
  timer.unref();
  return {
    self,
    async isAlive(id) {
      if (id === self) return true;
      // Unknown while the store is unreachable: assume alive (never take over a live process's work).
      try { return (await atomic.getString(key(id))) !== undefined; } catch { return true; }
    },
    async stop() {
      clearInterval(timer);
      await atomic.deleteString(key(self)).catch(() => undefined);
    },
  };
}
