import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * An HTTP server in a process of its own that closes a kept-alive connection
 * once it has idled `keepAliveMs` (announced as `Keep-Alive: timeout=N`; Node
 * 20's server closes 1 s after that). Its own process, so that its close
 * happens while the test's event loop is blocked. Every request is answered
 * `{"ok":true,"result":{"port":P}}` (a Bot API answer's shape), P being the
 * client's port: a new connection shows as a new port.
 */
export async function startClosingKeepAliveServer(keepAliveMs: number): Promise<{ url: string; close: () => void }> {
  const child = spawn(process.execPath, ['-e', `
    const s = require('node:http').createServer((q, r) => {
      q.resume();
      q.on('end', () => { r.setHeader('content-type', 'application/json'); r.end(JSON.stringify({ ok: true, result: { port: q.socket.remotePort } })); });
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
