import { createHmac } from 'node:crypto';
import type { BotRequest } from './bot-payloads.js';

export {
  blockActions,
  messageEvent,
  nextMessageTs,
  slashCommand,
  urlVerification,
  viewSubmission,
  type ViewSubmissionInput,
  type ViewValues,
  type BlockActionsInput,
  type BotRequest,
  type MessageEventInput,
  type SlashCommandInput,
} from './bot-payloads.js';

/** Slack's request-signing headers for one body. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body as Slack does: `v0=` + hex HMAC-SHA256 keyed by the
 * signing secret over `v0:<timestamp>:<raw body>` (bolt-js
 * receivers/verify-request). Receivers reject timestamps older than 5 minutes.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${digest}` };
}

/** Options for {@link postToBot}. */
export interface PostToBotOptions {
  /** Defaults to the request's own type, or JSON for a string starting with '{', else form-encoded. */
  contentType?: string;
  /** Sets `X-Slack-Retry-Num`, as Slack does on redeliveries. */
  retryNum?: number;
  /** Sets `X-Slack-Retry-Reason`, e.g. 'http_timeout'. */
  retryReason?: string;
  /** Signing timestamp in unix seconds (default now); use an old one to test replay rejection. */
  timestamp?: number;
  /** Sends this `X-Slack-Signature` instead of the correct one. */
  signature?: string;
}

/** The bot's HTTP answer. */
export interface BotResponse {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/** POSTs a signed request to the bot's Request URL (e.g. `http://127.0.0.1:P/slack/events`). */
export async function postToBot(
  url: string,
  signingSecret: string,
  body: string | BotRequest<unknown>,
  options: PostToBotOptions = {},
): Promise<BotResponse> {
  const raw = typeof body === 'string' ? body : body.body;
  const contentType =
    options.contentType ??
    (typeof body === 'string'
      ? raw.trimStart().startsWith('{')
        ? 'application/json'
        : 'application/x-www-form-urlencoded'
      : body.contentType);
  const signed = signSlackRequest(signingSecret, raw, options.timestamp);
  const headers: Record<string, string> = { 'content-type': contentType, ...signed };
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers.entries()) };
}
