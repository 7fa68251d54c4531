/**
 * `npm run setup:discord`: the gateway intents, the permissions integer and the
 * invite URL (with DISCORD_APPLICATION_ID from the environment), generated
 * from the Discord module (src/bot/discord/setup). The same as `node dist/main.js setup discord`.
 */
import { runSetup } from '../src/cli/run-setup.js';

process.exitCode = await runSetup(['discord', ...process.argv.slice(2)], process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
