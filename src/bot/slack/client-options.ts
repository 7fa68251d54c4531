import { keepAliveFetch } from '../../runtime/keep-alive-fetch.js';

/**
 * One keep-alive HTTP client for every Web API call of the process (see
 * keep-alive-fetch.ts): the WebClients' and the outbox's direct calls (web-api-call.ts).
 */
export const slackFetch = keepAliveFetch();

/** How long a Web API call may take, answer included. */
export const SLACK_TIMEOUT_MS = 10_000;

/** The options of every Slack WebClient the desk makes (its own and bolt's). */
export function slackClientOptions(apiUrl: string) {
  return {
    slackApiUrl: apiUrl,
    // The outbox owns retries and Slack's Retry-After; the client must not wait or retry on its own.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: SLACK_TIMEOUT_MS,
    // Web API calls are form or JSON bodies: over a keep-alive node:http agent, not Node's fetch.
    fetch: slackFetch,
  };
}
