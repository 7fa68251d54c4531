import { loadConfig, formatProblems } from './config/load-config.js';
import { startApp } from './app.js';
import { createLogger } from './runtime/logger.js';

/** The process entry: config from the environment, signals, exit codes. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(formatProblems(loaded.problems) + '\n');
    process.exit(2);
  }
  const log = createLogger(loaded.config.logLevel);
  let app;
  try {
    app = await startApp(loaded.config, { log });
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
  process.on('unhandledRejection', (reason) => log.error({ err: String(reason) }, 'unhandled rejection (kept running)'));
}

void main();
