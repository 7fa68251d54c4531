import http from 'node:http';
import { expect } from 'vitest';
import { startDesk, type DeskHarness, type HarnessOptions } from './start-desk.js';

/** One request of a fuzz run. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** How it was made (seed step, mutation, signing), shown when an assertion fails. */
  label: string;
  /** Over 1 MiB: the server may close the connection after its 413, so a reset is fine. */
  mayReset?: boolean;
}

export interface FuzzResult {
  req: FuzzRequest;
  /** HTTP status, or 0 when the connection failed before an answer. */
  status: number;
  text: string;
  error?: string;
}

/**
 * Sends requests with bounded concurrency over one keep-alive agent, and
 * collects every answer (never throws for a failed request: that is a result).
 */
export async function sendAll(baseUrl: string, requests: readonly FuzzRequest[], o: { concurrency?: number; timeoutMs?: number } = {}): Promise<FuzzResult[]> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency ?? 8 });
  const results: FuzzResult[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      results[i] = await sendOne(base, requests[i]!, agent, o.timeoutMs ?? 15_000);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  agent.destroy();
  return results;
}

function sendOne(base: URL, r: FuzzRequest, agent: http.Agent, timeoutMs: number): Promise<FuzzResult> {
  return new Promise((resolve) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const headers = { ...r.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    let done = false;
    const finish = (res: FuzzResult) => { if (!done) { done = true; resolve(res); } };
    let req: http.ClientRequest;
    try {
      req = http.request({ host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent: r.mayReset ? false : agent, timeout: timeoutMs }, onResponse);
    } catch (err) {
      // Node's client refused to send it (an invalid header): a bug of the generator, shown as unanswered.
      finish({ req: r, status: 0, text: '', error: `not sent: ${(err as Error).message}` });
      return;
    }
    function onResponse(res: http.IncomingMessage) {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ req: r, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ req: r, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => finish({ req: r, status: 0, text: '', error: err.message }));
    req.end(body);
  });
}

/** Counts answers by status, e.g. `{ 200: 310, 400: 512, 401: 200 }`. */
export function statusCounts(results: readonly FuzzResult[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

const describeResult = (r: FuzzResult) => `${r.status || r.error} ← ${r.req.method} ${r.req.path} ${r.req.label}: ${r.text.slice(0, 160)}`;

/**
 * The fuzz invariants every route shares: no answer ≥ 500, and a connection
 * that failed without an answer only where the body was over the limit.
 */
export function expectNoServerErrors(results: readonly FuzzResult[], o: { inProgressAllowed?: boolean } = {}): void {
  // A 503 `in_progress` is the answer by design to a request whose dedupe key another request is processing.
  const serverErrors = results.filter((r) => r.status >= 500 && !(o.inProgressAllowed && r.status === 503 && r.text.includes('"error":"in_progress"')));
  expect(serverErrors.length, `answers ≥ 500 (first 10):\n${serverErrors.slice(0, 10).map(describeResult).join('\n')}`).toBe(0);
  const unanswered = results.filter((r) => r.status === 0 && !r.req.mayReset);
  expect(unanswered.length, `requests without an answer (first 10):\n${unanswered.slice(0, 10).map(describeResult).join('\n')}`).toBe(0);
}

/** Every forged request was refused with one of `allowed` (401 by default; 413 for oversized bodies). */
export function expectAllRefused(results: readonly FuzzResult[], allowed: readonly number[] = [401, 413]): void {
  const accepted = results.filter((r) => !allowed.includes(r.status) && !(r.status === 0 && r.req.mayReset));
  expect(accepted.length, `forged requests not refused (first 10):\n${accepted.slice(0, 10).map(describeResult).join('\n')}`).toBe(0);
}

/**
 * Counts `unhandledRejection` / `uncaughtException` while a fuzz run goes on
 * (the app runs in the test's own process).
 */
export function watchProcessFaults(): { faults: string[]; stop(): void } {
  const faults: string[] = [];
  const onFault = (err: unknown) => { faults.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err)); };
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
  return {
    faults,
    stop() {
      process.off('unhandledRejection', onFault);
      process.off('uncaughtException', onFault);
    },
  };
}

/** Log lines the server wrote for a request its error boundary caught. */
export function failedRequestLines(logs: readonly string[]): string[] {
  return logs.flatMap((chunk) => chunk.split('\n')).filter((l) => l.includes('"msg":"request failed"'));
}

/** Just under and just over the 1 MiB body limit, as JSON padding inside `wrap`. */
export function nearLimitBodies(wrap: (pad: string) => string): { under: string; over: string } {
  const MiB = 1024 * 1024;
  const empty = Buffer.byteLength(wrap(''));
  return { under: wrap('a'.repeat(MiB - empty - 16)), over: wrap('a'.repeat(MiB - empty + 16)) };
}

/**
 * The desk a fuzz file drives, in the test's own process, started once Slack's
 * identity is known (so the first requests are not answered "not ready"), and
 * its fault watch; `close` stops both.
 */
export function fuzzDesk(options: HarnessOptions): { readonly h: DeskHarness; readonly watch: ReturnType<typeof watchProcessFaults>; start(): Promise<DeskHarness>; close(): Promise<void> } {
  const watch = watchProcessFaults();
  let harness: DeskHarness | undefined;
  return {
    get h() {
      if (!harness) throw new Error('fuzzDesk: start() it in beforeAll first');
      return harness;
    },
    watch,
    async start() {
      harness = await startDesk(options);
      await harness.slack.waitFor((s) => s.calls.some((c) => c.method === 'auth.test'), 5000);
      return harness;
    },
    async close() {
      watch.stop();
      await harness?.close();
    },
  };
}
