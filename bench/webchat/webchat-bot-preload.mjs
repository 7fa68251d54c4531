// The webchat bench's preload, loaded with `--import` into the bot's own
// process (dist/main.js), like the throughput preloads. Besides lifting
// Slack's post and tier-3 spacing (lift-reply-budgets-preload.mjs), it lets
// the bench read the bot's memory at a settled moment: on SIGUSR2 it runs a
// full garbage collection and writes process.memoryUsage() as JSON to
// BENCH_MEMORY_FILE. `gc` is exposed through V8's flag at run time, so the
// bot's command line stays `node dist/main.js`. Prints nothing: stdout is the
// bot's log.
import './../throughput/lift-reply-budgets-preload.mjs';
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    gc();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), at: Date.now() }));
  });
}
