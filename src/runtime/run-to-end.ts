import Bottleneck from 'bottleneck';

/**
 * Backstop expiration of every job. A job runs a 429 pause, the GCRA wait and
 * one delivery (calls with 10–30 s timeouts, a few for a media message), so
 * legitimate jobs stay well below it. It frees a slot whose release was lost
 * by a live process (a Redis error at the moment of `free`, or a job dropped
 * while registered by `stop()`); a dead process's slots come back far sooner,
 * by its missing heartbeat (reap-dead-limiter-clients.ts).
 */
export const JOB_EXPIRATION_MS = 180_000;

/**
 * Runs `task` in a slot of `limiter` and settles with the task itself. When
 * bottleneck gives up on the job at its expiration it frees the slot and
 * rejects, while the call goes on; the caller still waits for that call, so a
 * lane never moves on, or sends its head again, while it is on the wire.
 */
export async function runToEnd<T>(limiter: Bottleneck, task: () => Promise<T>): Promise<T> {
  let started: Promise<T> | undefined;
  try {
    return await limiter.schedule({ expiration: JOB_EXPIRATION_MS }, () => (started = task()));
  } catch (err) {
    // A BottleneckError once the task started can only be its expiration.
    if (started && err instanceof Bottleneck.BottleneckError) return started;
    throw err;
  }
}
