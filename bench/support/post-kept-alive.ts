import { keepAliveFetch } from '../../src/runtime/keep-alive-fetch.js';

/**
 * Connections to the bot are kept and reused, as Meta's and Slack's webhook
 * senders do: with Node's `fetch` (undici) each request cost the load process
 * ~0.5 ms of CPU more, taken from the bot on a 2-core machine. The bot's own
 * keep-alive client does the work.
 */
const post = keepAliveFetch();

/**
 * POSTs `body` to the bot; resolves with the status and the moment the
 * answer had been read. With `timeoutMs`, a request still unanswered then is
 * dropped and rejects.
 */
export async function postKeptAlive(url: string, headers: Record<string, string>, body: string, timeoutMs?: number): Promise<{ status: number; answeredAt: number }> {
  const res = await post(url, { method: 'POST', headers, body, redirect: 'error', ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return { status: res.status, answeredAt: Date.now() };
}
