import type { Registry } from '../config/registry.js';
import { MODULES } from '../modules.js';

/**
 * `threaddesk setup <messenger> [options]`: prints the setup a messenger
 * module generates from the code (Slack's app manifest, Discord's intents,
 * permissions and invite URL) on stdout, and what to do with it on stderr.
 */
export async function runSetup(args: readonly string[], env: Readonly<Record<string, string | undefined>>, io: { out: (s: string) => void; err: (s: string) => void }, registry: Registry = MODULES): Promise<number> {
  const [id, ...rest] = args;
  const withSetup = registry.messengers.filter((m) => m.setup);
  const m = withSetup.find((x) => x.id === id);
  if (!m?.setup) {
    io.err(`Say which messenger to set up: ${withSetup.map((x) => `threaddesk setup ${x.id}`).join(', ')}. Messengers without one are set up by hand: see docs/setup-<messenger>.md.\n`);
    return 2;
  }
  try {
    const { text, next } = await m.setup(rest, env);
    io.out(text);
    if (next) io.err(`${next}\n`);
    return 0;
  } catch (err) {
    io.err(`${(err as Error).message}\n`);
    return 2;
  }
}
