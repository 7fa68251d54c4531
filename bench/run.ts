import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from '../tests/support/start-desk.js';
import { BENCHMARKS, type BenchCase } from './benchmarks.js';
import { SUMMARIES } from './summaries.js';
import { formatTable } from './support/format-table.js';
import { machineFacts } from './support/machine-facts.js';
import { redisAnswers } from './support/delete-redis-keys.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- burst latency` runs
 * those named. Each case runs in a child process; the figures are printed as a
 * table and written to bench/results/<benchmark>.json.
 */
const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => !wanted.length || wanted.includes(b.name));
const hasRedis = await redisAnswers(REDIS_URL);
if (!hasRedis) console.log(`No Redis answers at ${REDIS_URL} (set TEST_REDIS_URL): Redis cases are skipped.\n`);

type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

function runCase(name: string, c: BenchCase): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = fork(join(here, 'run-case.ts'), [name, JSON.stringify(c.params)], { execArgv: [...(process.env.BENCH_CASE_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: Outcome | undefined;
    const timer = setTimeout(() => { outcome ??= { ok: false, error: `killed after ${c.limitMs / 1000} s` }; child.kill('SIGKILL'); }, c.limitMs);
    child.on('message', (m) => { outcome ??= m as Outcome; });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(outcome ?? { ok: false, error: `case process ended (code ${code}, signal ${signal}) without a result` });
    });
  });
}

const started = Date.now();
for (const bench of selected) {
  console.log(`== ${bench.name}: ${bench.what}`);
  const benchStarted = Date.now();
  // Other work on the machine moves the figures: the load average is taken before and after.
  const machine = machineFacts();
  const cases = [];
  const rows = [];
  for (const c of bench.cases()) {
    if (c.params.store === 'redis' && !hasRedis) {
      cases.push({ label: c.label, params: c.params, skipped: `no Redis at ${REDIS_URL}` });
      continue;
    }
    process.stdout.write(`   ${c.label} … `);
    const t = Date.now();
    const outcome = await runCase(bench.name, c);
    console.log(`${Math.round((Date.now() - t) / 1000)} s${outcome.ok ? '' : ' FAILED'}`);
    if (outcome.ok) {
      cases.push({ label: c.label, params: c.params, result: outcome.result });
      rows.push(SUMMARIES[bench.name]!(c.label, outcome.result as never));
    } else {
      console.log(outcome.error);
      cases.push({ label: c.label, params: c.params, error: outcome.error });
    }
  }
  console.log(`\n${formatTable(rows)}\n`);
  const file = join(here, 'results', `${bench.name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ benchmark: bench.name, what: bench.what, machine: { ...machine, loadAverage1mAtEnd: machineFacts().loadAverage1m }, durationSeconds: Math.round((Date.now() - benchStarted) / 1000), cases }, null, 2) + '\n');
  console.log(`   written to ${join('bench', 'results', `${bench.name}.json`)}\n`);
}
console.log(`All done in ${Math.round((Date.now() - started) / 1000)} s.`);
