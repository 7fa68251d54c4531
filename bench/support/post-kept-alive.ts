import http from 'node:http';

/**
 * Connections to the bot are kept and reused, as Meta's and Slack's webhook
 * senders do: with Node's `fetch` (undici) each request cost the load process
 * ~0.5 ms of CPU more, taken from the bot on a 2-core machine.
 */
const agent = new http.Agent({ keepAlive: true });

/**
 * POSTs `body` to the bot; resolves with the status and the moment the
 * response headers arrived, once the answer is read. With `timeoutMs`, a
 * request still unanswered then is dropped and rejects.
 */
export function postKeptAlive(url: string, headers: Record<string, string | number>, body: string, timeoutMs?: number): Promise<{ status: number; answeredAt: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      const answeredAt = Date.now();
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, answeredAt }));
      res.resume();
    });
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
