/**
 * `npm run setup:slack [-- --url https://desk.example.com] [-- --yaml]`: the
 * Slack app manifest generated from the command registry and the Slack
 * module (src/bot/slack/setup). The same as `node dist/main.js setup slack`.
 */
import { runSetup } from '../src/cli/run-setup.js';

process.exitCode = await runSetup(['slack', ...process.argv.slice(2)], process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
