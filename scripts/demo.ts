/**
 * `npm run demo`: the sandbox. The real bot (startApp, the embedded store,
 * the outbox, the one HTTP server) with the sandbox messenger, whose
 * "platform" is a page the bot serves, and the real web chat as the customer
 * channel. It prints one URL: the agents' channel on the left, a shop's page
 * with the chat widget on the right. No account anywhere, nothing imported
 * from tests/.
 *
 * Data goes to a fresh temporary directory, removed on stop, unless DATA_DIR
 * is given (then it is kept, and a second run continues the first). PORT
 * picks the port (default 3000, or any free one when 3000 is taken; 0: any);
 * LOG_LEVEL the bot's log level (default warn; logs go to stderr).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, type RunningApp } from '../src/app.js';
import { SANDBOX, SANDBOX_AGENT, SANDBOX_PATH } from '../src/bot/sandbox/names.js';
import { formatProblems, loadConfig } from '../src/config/load-config.js';
import { SANDBOX_MODULES } from '../src/modules.js';
import { createLogger } from '../src/runtime/logger.js';

/** The agent's name on the page and in the customer's chat. */
const AGENT_NAME = 'Alex';
const DEMO_YAML = `
queues:
  - name: default
    welcome:
      - text: "Hi {customer_name}, thanks for writing! An agent will be with you shortly."
`;

const ownDataDir = !process.env.DATA_DIR;
const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : mkdtempSync(join(tmpdir(), 'threaddesk-demo-'));
// Installed before any start-up work: Ctrl-C at any moment stops the bot (if it is up yet) and removes a fresh data directory.
let app: RunningApp | undefined;
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await app?.shutdown().catch((err: unknown) => console.error(`The bot did not stop cleanly: ${String(err)}`));
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The port is fixed before start: the widget's allowed origins name it. PORT=0 means any free one.
const port = process.env.PORT && process.env.PORT !== '0' ? Number(process.env.PORT) : await freePort(process.env.PORT === '0' ? 0 : 3000);
// The widget's frame may be shown only inside the listed sites: here the bot's own page, under both local names.
const origins = `http://127.0.0.1:${port},http://localhost:${port}`;

const loaded = loadConfig({
  PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  BOOTSTRAP_ADMINS: `${SANDBOX}:${SANDBOX_AGENT}`, WEBCHAT_ORIGINS: origins, CONFIG_FILE: 'demo.yaml',
}, () => DEMO_YAML, SANDBOX_MODULES);
if (!loaded.ok) {
  console.error(formatProblems(loaded.problems));
  process.exit(2);
}
try {
  app = await startApp(loaded.config, { log: createLogger(loaded.config.logLevel, process.stderr) });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(e.code === 'EADDRINUSE' ? `Port ${port} is in use: run with another, like PORT=3100 npm run demo.` : `The demo cannot start: ${e.message}`);
  if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
const seat = await app.desk.seats.ofActor({ platform: SANDBOX, userId: SANDBOX_AGENT });
if (seat && seat.name === `${SANDBOX}:${SANDBOX_AGENT}`) await app.desk.seats.update(seat.id, (s) => ({ ...s, name: AGENT_NAME }));

console.log(`
threaddesk sandbox is running. Open this page in your browser:

    http://127.0.0.1:${port}${SANDBOX_PATH}

  Right: a customer on a shop's page, with the real web chat widget. Write something there.
  Left:  the agents' channel. The message becomes a thread with a header card:
         press Claim, answer in the thread's reply box, and see the answer reach
         the customer and get its ✓. Release / Close work too; so do !claim,
         // notes, and commands such as /queue or /help.

  You are ${AGENT_NAME}, an admin (seat ${SANDBOX}:${SANDBOX_AGENT}).
  Data: ${dataDir}${ownDataDir ? ' (fresh for this run, deleted on stop; set DATA_DIR=./demo-data to keep it)' : ' (kept)'}
  Stop: Ctrl-C.
`);

/** `preferred` when it is free on 127.0.0.1, else any free port. */
async function freePort(preferred: number): Promise<number> {
  const probe = (p: number) => new Promise<number | undefined>((done) => {
    const server = net.createServer();
    server.once('error', () => done(undefined));
    server.listen(p, '127.0.0.1', () => {
      const got = (server.address() as AddressInfo).port;
      server.close(() => done(got));
    });
  });
  return (await probe(preferred)) ?? (await probe(0)) ?? preferred;
}
