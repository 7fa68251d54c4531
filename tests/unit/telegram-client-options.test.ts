import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { telegramClientOptions } from '../../src/bot/telegram/client-options.js';
import { busyFor, SLOW_ANSWER_MS, startClosingKeepAliveServer } from '../support/closing-keep-alive-server.js';

/** What the closing server answers for any method, read through grammY. */
const portOf = async (api: Api) => ((await api.raw.getMe()) as unknown as { port: number }).port;

/**
 * The desk's grammY client (src/bot/telegram/client-options.ts) against a Bot
 * API server that closes idle kept-alive connections (as keep-alive-fetch's
 * test): grammY's default agent keeps them until the server's close is read,
 * so a call made after a busy spell took the closing connection and failed
 * with ECONNRESET; the desk's agent gives them up first.
 */
describe('telegramClientOptions', () => {
  it('reuses one connection for calls in a row, and gives it up before the server\'s keep-alive timeout so a call after a busy spell does not meet a reset', async () => {
    const server = await startClosingKeepAliveServer(2000);
    try {
      const api = new Api('123:test', telegramClientOptions(server.url, 5));
      const first = await portOf(api);
      expect(await portOf(api)).toBe(first);
      await new Promise((r) => setTimeout(r, 2900));
      busyFor(600);
      // A new connection (another client port), not the one the server closed.
      expect(await portOf(api)).not.toBe(first);
    } finally {
      server.close();
    }
  });

  // The agent's idle timeout must not cut a call that is waiting for its answer (a long poll, an upload).
  it('waits for an answer slower than the idle timeout (a long poll)', async () => {
    const server = await startClosingKeepAliveServer(2000);
    try {
      const api = new Api('123:test', telegramClientOptions(server.url, 10));
      const started = Date.now();
      await expect(api.raw.getUpdates({ timeout: 5 })).resolves.toHaveProperty('port');
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 100);
    } finally {
      server.close();
    }
  });

  it('points the client at the configured API root, with the given timeout', () => {
    const o = telegramClientOptions('https://tg.example/api', 12);
    expect(o).toMatchObject({ apiRoot: 'https://tg.example/api', timeoutSeconds: 12 });
    expect(o.baseFetchConfig?.agent).toHaveProperty('protocol', 'https:');
  });
});
