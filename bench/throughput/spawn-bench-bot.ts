import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = new URL('./lift-post-spacing-preload.mjs', import.meta.url).href;

let built = false;

/**
 * Compiles src to dist once per bench process, as `npm start` does before it
 * runs dist/main.js (its `prestart`), so every step measures the current source.
 */
export function buildBot(): void {
  if (built) return;
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/** Log lines at warn (40) or above, counted, the first few kept, so a bad step can show why. */
export interface BotLogTally {
  warnings: number;
  errors: number;
  firstProblems: string[];
}

export interface BenchBot {
  pid: number;
  url: string;
  logs: BotLogTally;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs the bot as its own process, as `npm start` does (`node dist/main.js`,
 * compiled first by {@link buildBot}), with one `--import`: the preload that
 * lifts the 1 s post spacing inside that process, or `preload` (a file URL)
 * instead (none with `keepSpacing`). Like
 * tests/support/spawn-bot.ts, but keeps the child's pid (for /proc) and reads
 * the JSON log as it streams rather than holding all of it.
 */
export async function spawnBenchBot(env: Record<string, string>, o: { keepSpacing?: boolean; timeoutMs?: number; preload?: string } = {}): Promise<BenchBot> {
  // BENCH_BOT_NODE_ARGS: extra node flags for the bot, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
  const extra = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  buildBot();
  const args = [...extra, ...(o.keepSpacing ? [] : ['--import', o.preload ?? PRELOAD]), 'dist/main.js'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: BotLogTally = { warnings: 0, errors: 0, firstProblems: [] };
  let startOutput = '';
  let up = false;
  const tally = (chunk: unknown) => {
    const text = String(chunk);
    if (!up && startOutput.length < 20_000) startOutput += text;
    // pino writes one JSON object per line; levels: 40 warn, 50 error, 60 fatal.
    if (!text.includes('"level":40') && !text.includes('"level":50') && !text.includes('"level":60')) return;
    for (const line of text.split('\n')) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level >= 50) logs.errors += 1;
      else if (level >= 40) logs.warnings += 1;
      if (level >= 40 && logs.firstProblems.length < 5) logs.firstProblems.push(line.trim().slice(0, 600));
    }
  };
  child.stdout!.on('data', tally);
  child.stderr!.on('data', (d) => { tally(d); if (!up) startOutput += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited with code ${child.exitCode} while starting; its output:\n${startOutput}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not answer ${url}/healthz within ${(o.timeoutMs ?? 30_000) / 1000} s; its output:\n${startOutput}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  up = true;
  return {
    pid: child.pid!,
    url,
    logs,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
