import { BENCHMARKS } from './benchmarks.js';

/**
 * One benchmark case in a process of its own (started by bench/run.ts), so a
 * case starts with a fresh heap and nothing a previous app left running (a
 * queued limiter job, a lane loop) competes with it. Sends the result to the
 * parent and exits.
 */
const [name, json] = process.argv.slice(2);
const bench = BENCHMARKS.find((b) => b.name === name);
if (!bench || !json || !process.send) {
  console.error('usage: started by bench/run.ts with <benchmark> <params-json> and an IPC channel');
  process.exit(2);
}
try {
  const result = await bench.run(JSON.parse(json) as Record<string, unknown>);
  process.send({ ok: true, result }, () => process.exit(0));
} catch (err) {
  process.send({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1));
}
