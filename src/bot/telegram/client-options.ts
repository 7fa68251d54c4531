import type { ApiClientOptions } from 'grammy';
import { keepAliveAgent } from '../../runtime/keep-alive-fetch.js';

/**
 * The options of every grammY client the desk makes. grammY's own agent keeps
 * idle connections until the server closes them (`keepAlive` with no
 * `timeout`, which on Node 20 also ignores the server's `Keep-Alive: timeout`
 * hint), so a call can take a connection the Bot API server is closing and
 * fail with ECONNRESET; this one gives them up first (keep-alive-fetch.ts).
 * No auto-retry either: the outbox owns retries and `retry_after`.
 */
export function telegramClientOptions(apiRoot: string, timeoutSeconds = 30): ApiClientOptions {
  return { apiRoot, timeoutSeconds, baseFetchConfig: { agent: keepAliveAgent(apiRoot) } };
}
