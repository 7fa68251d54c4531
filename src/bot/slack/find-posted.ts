import type { webApi } from '@slack/bolt';
type WebClient = webApi.WebClient;

/** The metadata event type our posts carry (letters, digits, `_`, `-` only, or Slack drops the metadata). */
export const POST_EVENT_TYPE = 'threaddesk_post';

/** Where a post lands: a reply in `thread`, or a top-level message of `channel` (a header card). */
export interface PostPlace {
  channel: string;
  thread?: string;
}

/** What a search found: the message's ts, none for sure, or none within the pages read. */
export type FindResult = { kind: 'found'; ts: string } | { kind: 'absent' } | { kind: 'unsure'; pagesRead: number };

/** Messages per page: Slack recommends no more than 200 (conversations.history / .replies `limit`). */
const PAGE_SIZE = 200;
/** 5,000 messages: past that a search gives up and says so, rather than read a whole busy channel. */
const MAX_PAGES = 25;
/** Our clock and Slack's may disagree; a header is looked for from this long before the attempt. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Looks for the message that carries `key` in its metadata, among the bot's
 * own posts since `since` (ms). Metadata comes back only with
 * `include_all_metadata=true` (conversations.history / conversations.replies
 * method references). Reading it needs only the history scopes the bot already
 * has (`channels:history`, `groups:history` for private channels); the
 * `metadata.message:read` scope is for subscribing to metadata events
 * (docs.slack.dev/reference/scopes/metadata.message.read), and posting it
 * needs only `chat:write`. These two methods are Tier 3; Slack's 2025 limits
 * of 1 call a minute for them apply to commercially distributed apps outside
 * the Marketplace, not to an app a workspace builds for itself, as each
 * threaddesk install does (docs.slack.dev/apis/web-api/rate-limits).
 *
 * Thread replies are read from the thread (oldest first, so every page may be
 * needed); headers from the channel's history since the attempt, newest first.
 */
export async function findPosted(client: WebClient, place: PostPlace, key: string, since: number): Promise<FindResult> {
  let cursor: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const common = { channel: place.channel, include_all_metadata: true, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const res = place.thread
      ? await client.conversations.replies({ ...common, ts: place.thread })
      : await client.conversations.history({ ...common, oldest: toSlackTs(since - CLOCK_SKEW_MS), inclusive: true });
    const hit = res.messages?.find((m) => carriesKey(m.metadata, key));
    if (hit?.ts) return { kind: 'found', ts: hit.ts };
    cursor = res.response_metadata?.next_cursor;
    if (!res.has_more || !cursor) return { kind: 'absent' };
  }
  return { kind: 'unsure', pagesRead: MAX_PAGES };
}

/** The metadata a post carries, so `findPosted` can recognise it. */
export function postMetadata(key: string): { event_type: string; event_payload: { key: string } } {
  return { event_type: POST_EVENT_TYPE, event_payload: { key } };
}

function carriesKey(metadata: { event_type?: string; event_payload?: unknown } | undefined, key: string): boolean {
  return metadata?.event_type === POST_EVENT_TYPE && (metadata.event_payload as { key?: unknown } | undefined)?.key === key;
}

/** Milliseconds as a Slack ts: seconds with six decimals. */
function toSlackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}
