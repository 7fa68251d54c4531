import { loadConfig, formatProblems } from './config/load-config.js';
import { startApp } from './app.js';
import { createLogger } from './runtime/logger.js';
import { installFaultPolicy } from './runtime/process-faults.js';

/** The process entry: config from the environment, signals, exit codes. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(formatProblems(loaded.problems) + '\n');
    process.exit(2);
  }
  const log = createLogger(loaded.config.logLevel);
  // Uncaught errors are logged with a reference and the bot keeps serving, unless its state is unsafe (see process-faults.ts).
  let starting = true;
  installFaultPolicy(process, { log, exit: (code) => process.exit(code), starting: () => starting });
  let app;
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
  let shuttingDown = false;
  const stop = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'stopping: no new requests; draining the outbox');
    app!.shutdown().then(() => process.exit(0), (err: unknown) => { log.error({ err: String(err) }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
