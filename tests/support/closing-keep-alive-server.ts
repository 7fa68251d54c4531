import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Longer than the desk's agents let a connection idle (keep-alive-fetch.ts, 4 s): an answer that slow must still arrive. */
export const SLOW_ANSWER_MS = 4500;

/**
 * An HTTP server in a process of its own that closes a kept-alive connection
 * once it has idled `keepAliveMs` (announced as `Keep-Alive: timeout=N`; Node
 * 20's server closes 1 s after that). Its own process, so that its close
 * happens while the test's event loop is blocked. Every request is answered
 * `{"ok":true,"result":{"port":P}}` (a Bot API answer's shape), P being the
 * client's port: a new connection shows as a new port. `getUpdates`
 * (a long poll) is answered after {@link SLOW_ANSWER_MS}.
 */
export async function startClosingKeepAliveServer(keepAliveMs: number): Promise<{ url: string; close: () => void }> {
  const child = spawn(process.execPath, ['-e', `
    const s = require('node:http').createServer((q, r) => {
      q.resume();
      const answer = () => { r.setHeader('content-type', 'application/json'); r.end(JSON.stringify({ ok: true, result: { port: q.socket.remotePort } })); };
      q.on('end', () => (q.url.endsWith('/getUpdates') ? setTimeout(answer, ${SLOW_ANSWER_MS}) : answer()));
    });
    s.keepAliveTimeout = ${keepAliveMs};
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    // Its port, or why it never listened (its stderr is inherited).
    const [line] = await Promise.race([
      once(child.stdout!, 'data') as Promise<[Buffer]>,
      once(child, 'exit').then(([code]) => { throw new Error(`the keep-alive test server exited (code ${String(code)}) before listening`); }),
    ]);
    return { url: `http://127.0.0.1:${String(line).trim()}`, close: () => child.kill() };
  } catch (err) {
    child.kill();
    throw err;
  }
}

/** Blocks the event loop for `ms`: a close that arrives meanwhile stays unread. */
export function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* busy */ }
}
