import type { RunningApp } from '../../src/app.js';

/** How busy the desk is once there is nothing left to do. */
export interface IdleCheck {
  /** Outbox lane loops still running in this process (0 when idle). */
  activeLanes: number;
  /** CPU time the process used during the window, as a percentage of one core. */
  cpuPercentOfOneCore: number;
  windowMs: number;
}

/**
 * Waits `settleMs`, then measures the process's CPU over `windowMs`. With no
 * traffic and an empty outbox the desk should be near 0 %: a figure well above
 * that means something loops without work (see bench/README.md, "idle").
 */
export async function measureIdle(app: RunningApp, settleMs = 1000, windowMs = 1000): Promise<IdleCheck> {
  await new Promise((r) => setTimeout(r, settleMs));
  const before = process.cpuUsage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const used = process.cpuUsage(before);
  const elapsed = performance.now() - started;
  return {
    activeLanes: app.worker.activeLanes,
    cpuPercentOfOneCore: Math.round(((used.user + used.system) / 1000 / elapsed) * 1000) / 10,
    windowMs: Math.round(elapsed),
  };
}
