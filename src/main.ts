import { loadConfig, formatProblems } from './config/load-config.js';
import { startApp, type RunningApp } from './app.js';
import { createLogger } from './runtime/logger.js';
import { batchedStdout } from './runtime/batched-output.js';
import { installFaultPolicy } from './runtime/process-faults.js';
import { runDoctor } from './doctor/run-doctor.js';
import { runSetup } from './cli/run-setup.js';

/** How long a stop asked during start-up waits for start-up to finish (then drains as usual) before leaving. */
const STARTUP_STOP_WAIT_MS = 3_000;

const USAGE = 'Usage: threaddesk [start] | threaddesk doctor | threaddesk setup <messenger> [--url https://… | --yaml]';

/** The process entry: `start` (the default), `doctor` or `setup <messenger>`; config from the environment, signals, exit codes. */
async function main(): Promise<void> {
  const [command = 'start', ...args] = process.argv.slice(2);
  if (command === 'doctor') process.exit(await runDoctor(process.env, { write: (t) => process.stdout.write(t) }));
  if (command === 'setup') process.exit(await runSetup(args, process.env, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }));
  if (command !== 'start') {
    process.stderr.write(`Unknown command "${command}". ${USAGE}\n`);
    process.exit(2);
  }
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(formatProblems(loaded.problems) + '\n');
    process.exit(2);
  }
  const log = createLogger(loaded.config.logLevel, batchedStdout());
  // Uncaught errors are logged with a reference and the bot keeps serving, unless its state is unsafe (see process-faults.ts).
  let starting = true;
  installFaultPolicy(process, { log, exit: (code) => process.exit(code), starting: () => starting });
  // Signals are handled from here on, before any start-up work: a SIGTERM while the store opens or a
  // messenger connects stops the bot once start-up has finished (through the same drain as later),
  // or leaves after STARTUP_STOP_WAIT_MS when start-up hangs.
  let app: RunningApp | undefined;
  let stopSignal: string | undefined;
  let startupStop: NodeJS.Timeout | undefined;
  const stop = (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    if (!app) {
      log.info({ signal }, `stop asked during start-up: stopping once start-up finishes, or in ${STARTUP_STOP_WAIT_MS / 1000} s`);
      // Start-up may be waiting for a store that is not there: leave then. Nothing was acknowledged that the store does not hold.
      startupStop = setTimeout(() => { log.info({ signal }, 'stopped during start-up'); process.exit(0); }, STARTUP_STOP_WAIT_MS);
      return;
    }
    log.info({ signal }, 'stopping: no new requests; draining the outbox');
    app.shutdown().then(() => process.exit(0), (err: unknown) => { log.error({ err: String(err) }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log.info({ pid: process.pid }, 'threaddesk is starting');
  try {
    app = await startApp(loaded.config, { log });
    starting = false;
  } catch (err) {
    const e = err as Error & { code?: string };
    // Expected start-up faults carry a code and a message that says what to do.
    process.stderr.write(`threaddesk cannot start: ${e.message}\n`);
    log.error({ code: e.code, err: e.message }, 'start failed');
    process.exit(e.code === 'data_dir_locked' ? 3 : 1);
  }
  if (stopSignal) {
    clearTimeout(startupStop);
    const signal = stopSignal;
    stopSignal = undefined;
    stop(signal);
  }
}

void main();
