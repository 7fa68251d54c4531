import { randomBytes } from 'node:crypto';
import type { Logger } from './logger.js';

/**
 * What to do with an error nothing caught (`uncaughtException`,
 * `unhandledRejection`). SPEC §10: no request may stop the process, so the
 * default is to log it with a reference and keep serving; every request
 * already has its own error boundary (src/http/server.ts), so what reaches
 * here is a stray timer or listener, not a half-answered request. The process
 * ends only when its own state can no longer be trusted:
 *
 * - an error our code flags `fatal: true` (e.g. a store lost for good);
 * - memory exhausted (`ERR_MEMORY_ALLOCATION_FAILED`, `ERR_WORKER_OUT_OF_MEMORY`,
 *   a `RangeError` "Array buffer allocation failed");
 * - the embedded store's file damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`):
 *   every later write would fail or lie;
 * - a broken invariant (`ERR_ASSERTION`);
 * - anything while the process is still starting (a bug in start-up: the bot
 *   never got to a state worth keeping);
 * - a storm: more than `stormLimit` such errors within `stormWindowMs`,
 *   i.e. something fails over and over and logging it is all we still do.
 *
 * Then it logs one `fatal` line saying why and exits with FAULT_EXIT_CODE, so
 * a supervisor (systemd, Docker, Kubernetes) restarts it on the same store.
 */

/** Exit code of a process stopped by this policy (EX_SOFTWARE of sysexits.h). */
export const FAULT_EXIT_CODE = 70;

const FATAL_CODES = new Set(['ERR_MEMORY_ALLOCATION_FAILED', 'ERR_WORKER_OUT_OF_MEMORY', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'ERR_ASSERTION']);

/** An error that leaves this process unsafe to go on; thrown by our own code. */
export class FatalProcessError extends Error {
  readonly fatal = true;

  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FatalProcessError';
  }
}

export type FaultVerdict = { fatal: false } | { fatal: true; reason: string };

/** Decides whether one uncaught error makes the process unsafe (see the module comment). */
export function classifyFault(err: unknown): FaultVerdict {
  const e = typeof err === 'object' && err !== null ? (err as { fatal?: unknown; code?: unknown; message?: unknown }) : {};
  if (e.fatal === true) return { fatal: true, reason: `flagged fatal by threaddesk${typeof e.code === 'string' ? ` (${e.code})` : ''}` };
  if (typeof e.code === 'string' && FATAL_CODES.has(e.code)) return { fatal: true, reason: `unsafe state: ${e.code}` };
  if (err instanceof RangeError && /allocation failed|out of memory/i.test(err.message)) return { fatal: true, reason: 'out of memory' };
  return { fatal: false };
}

/** The parts of `process` the policy uses (a test passes an EventEmitter). */
export interface FaultSource {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

export interface FaultPolicyOptions {
  log: Logger;
  /** `process.exit` in production. */
  exit: (code: number) => void;
  now?: () => number;
  newReference?: () => string;
  stormLimit?: number;
  stormWindowMs?: number;
  /** True until the bot is up: every uncaught error before that ends the process. */
  starting?: () => boolean;
}

/**
 * Installs the policy on `source` (normally `process`); returns a function
 * that removes it. Each error is logged once, structured, with a reference id
 * an operator can search for.
 */
export function installFaultPolicy(source: FaultSource, o: FaultPolicyOptions): () => void {
  const now = o.now ?? Date.now;
  const newReference = o.newReference ?? (() => randomBytes(6).toString('hex'));
  const stormLimit = o.stormLimit ?? 50;
  const stormWindowMs = o.stormWindowMs ?? 60_000;
  let recent: number[] = [];
  let exiting = false;

  const handle = (kind: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    const reference = newReference();
    const at = now();
    recent = [...recent.filter((t) => at - t < stormWindowMs), at];
    const verdict: FaultVerdict = o.starting?.() ? { fatal: true, reason: 'uncaught error during start-up' } : classifyFault(err);
    const storm = !verdict.fatal && recent.length > stormLimit;
    const details = { kind, reference, fault: describe(err) };
    if (!verdict.fatal && !storm) {
      o.log.error(details, `${kind}: logged and kept serving (reference ${reference})`);
      return;
    }
    if (exiting) return;
    exiting = true;
    const reason = verdict.fatal ? verdict.reason : `${recent.length} uncaught errors within ${Math.round(stormWindowMs / 1000)} s`;
    o.log.fatal({ ...details, reason, exitCode: FAULT_EXIT_CODE }, `threaddesk is stopping: ${reason} (reference ${reference}); the process state is not safe to keep serving. Restart it; undelivered messages wait in the outbox.`);
    o.exit(FAULT_EXIT_CODE);
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  source.on('uncaughtException', onException);
  source.on('unhandledRejection', onRejection);
  return () => {
    source.off('uncaughtException', onException);
    source.off('unhandledRejection', onRejection);
  };
}

function describe(err: unknown): { message: string; name?: string; code?: string; stack?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(err.stack ? { stack: err.stack } : {}) };
  }
  try {
    return { message: String(err) };
  } catch {
    // e.g. an object without a prototype: nothing to call toString on.
    return { message: Object.prototype.toString.call(err) };
  }
}
