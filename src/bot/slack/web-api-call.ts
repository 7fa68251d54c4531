import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebAPICallResult } from '@slack/web-api';
import type { Logger } from '../../runtime/logger.js';
import { SLACK_TIMEOUT_MS, slackFetch } from './client-options.js';

/** Slack's answer to a Web API call: `ok`, the method's fields, maybe `error` and `response_metadata`. */
export type SlackAnswer = WebAPICallResult & { error?: string; [field: string]: unknown };

/** A Slack Web API method called with JSON arguments; resolves to Slack's answer when it is `ok: true`. */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<SlackAnswer>;

/**
 * The outbox's per-message Web API calls (chat.postMessage), without the
 * WebClient's machinery: its request queue, retry wrapper, events, and the
 * redacted JSON copies of every request and answer it makes for a debug line
 * (about 0.3 ms of CPU per call at load). It uses the WebClient's own
 * transport (client-options.ts) and timeout, and fails with the WebClient's
 * own errors, as a client with `rejectRateLimitedCalls` and no retries does,
 * since classify-error.ts and post-once.ts read them:
 * - HTTP 429 with a `Retry-After` → `slack_webapi_rate_limited_error`, `retryAfter` in seconds;
 * - any other status than 200 → `slack_webapi_http_error` (`statusCode`, `statusMessage`, `headers`, `body`);
 * - `ok: false` (or an answer that is not JSON) → `slack_webapi_platform_error`, `data` the answer;
 * - no answer (refused, reset, timed out) → `slack_webapi_request_error`, `original` the cause.
 * Warnings Slack puts in `response_metadata` are logged, as the WebClient does.
 */
export function slackWebApiCall(token: string, apiUrl: string, log: Logger, timeoutMs = SLACK_TIMEOUT_MS): SlackCall {
  // Slack reads a JSON body only with a bearer token, and warns (`missing_charset`) without the charset.
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' };
  return async (method, args) => {
    let status: number;
    let text: string;
    let response: Awaited<ReturnType<typeof slackFetch>>;
    try {
      response = await slackFetch(`${apiUrl}${method}`, { method: 'POST', headers, body: JSON.stringify(args), redirect: 'error', timeoutMs });
      status = response.status;
      text = await response.text();
    } catch (err) {
      throw new WebAPIRequestError(err instanceof Error ? err : new Error(String(err)));
    }
    if (status === 429) {
      const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
      // The WebClient's answer to a 429 without a usable Retry-After: a plain error, no code.
      if (Number.isNaN(retryAfter)) throw new Error(`Retry header did not contain a valid timeout (url: ${apiUrl}${method}, retry-after header: ${response.headers.get('retry-after')})`);
      throw new WebAPIRateLimitedError(retryAfter);
    }
    // Slack's Web API uses no status but 200 and 429 for answers; anything else is the HTTP layer failing.
    if (status !== 200) throw new WebAPIHTTPError(status, response.statusText, Object.fromEntries(response.headers.entries()), text);
    const result = parseAnswer(text);
    if (result.response_metadata) logNotes(log, method, result.response_metadata);
    if (!result.ok) throw new WebAPIPlatformError(result as SlackAnswer & { error: string });
    return result;
  };
}

/** Slack's answer; a body that is not JSON is an `ok: false` whose `error` is the body, as in the WebClient. */
function parseAnswer(text: string): SlackAnswer {
  try {
    const data: unknown = JSON.parse(text);
    if (data !== null && typeof data === 'object') return data as SlackAnswer;
  } catch { /* below */ }
  return { ok: false, error: text };
}

/** `warnings` ("missing_charset", "superfluous_charset", …) and `[WARN]`/`[ERROR]` lines in `messages`. */
function logNotes(log: Logger, method: string, meta: { warnings?: string[]; messages?: string[] }): void {
  for (const warning of meta.warnings ?? []) log.warn({ method, warning }, `slack ${method} answered with a warning: ${warning}`);
  for (const line of meta.messages ?? []) {
    const error = /\[ERROR\](.*)/.exec(line)?.[1];
    if (error !== undefined) log.error({ method }, error.trim());
    else {
      const warn = /\[WARN\](.*)/.exec(line)?.[1];
      if (warn !== undefined) log.warn({ method }, warn.trim());
    }
  }
}
