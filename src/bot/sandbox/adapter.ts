import { cachedPing } from '../kit/cached-ping.js';
import type { AdapterContext, MessengerAdapter } from '../messenger-adapter.js';
import { processOnce } from '../process-once.js';
import { SandboxBoard } from './board.js';
import { SandboxDeliverer } from './deliver.js';
import { SANDBOX, SANDBOX_PATH } from './names.js';
import { sandboxRoutes } from './routes.js';

export interface SandboxSettings {
  /** The agents' channel of the default queue, as the page names it. */
  channel: string;
  /** The page's one person: the user id of the seat `sandbox:<agent>` (a bootstrap admin). */
  agent: string;
}

/**
 * The sandbox messenger (`npm run demo`): its "platform" is a page the bot
 * serves itself at `/sandbox/`. The outbox delivers threads, posts, header
 * cards, ✓ marks and private notes onto a board kept in the adapter's own
 * part of the store; the page polls the board and sends the agent's presses,
 * replies and commands back as neutral updates, each processed once. Never
 * on in production: only the demo's registry has it (src/modules.ts).
 */
export function createSandboxAdapter(o: SandboxSettings & AdapterContext): MessengerAdapter {
  const log = o.log.child({ messenger: SANDBOX });
  const board = new SandboxBoard(o.state, o.clock, o.instanceId);
  const deliverer = new SandboxDeliverer(board, { desk: o.desk, clock: o.clock });
  const routes = sandboxRoutes({ desk: o.desk, board, clock: o.clock, agent: o.agent, channel: o.channel, once: processOnce(o.dedupe, SANDBOX) });
  return {
    platform: SANDBOX,
    routes,
    deliverer,
    async start() {
      log.info({ path: SANDBOX_PATH }, 'sandbox page is served');
    },
    async stop() {
      board.release();
    },
    // The page is the bot's own: reachable whenever the store is.
    ping: cachedPing(() => o.state.members('threads')),
  };
}
