import type { types, webApi } from '@slack/bolt';
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';
import type { AttemptMarker, AttemptMarkers } from './attempt-markers.js';
import { findPosted, postMetadata, type FindResult, type PostPlace } from './find-posted.js';
import type { SlackCall } from './web-api-call.js';
type WebClient = webApi.WebClient;

/** chat.postMessage arguments of one post; `thread_ts` makes it a thread reply. */
export interface PostArgs {
  channel: string;
  thread_ts?: string;
  text: string;
  blocks?: types.KnownBlock[];
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

/** A post that is in Slack now, made by this call or found from an earlier attempt. */
export interface PostedOnce {
  ts: string;
  /** Outbox items the post stands for (those of the attempt that made it). */
  consumed: number;
  /** True when an earlier attempt's message was found and nothing was posted now. */
  found: boolean;
}

/**
 * Post keys: the same key is the same message, whichever process posts it.
 * Outbox item ids are unique, so a thread post is named by its item and part.
 */
export const postKeys = {
  /** Part `part` (0 for a text that fits in one post) of the thread post of outbox item `itemId`. */
  part: (itemId: string, part: number) => `${itemId}:${part}`,
  /** The post of links to an item's attachments that could not be uploaded. */
  links: (itemId: string) => `${itemId}:links`,
  /** A conversation's header in `channel`; `replacing` names the thread it replaces, so a new thread is a new post. */
  header: (convId: string, channel: string, replacing: string | undefined) => `header:${convId}:${channel}:${replacing ?? 'first'}`,
} as const;

/** What this process knows of its own attempts: posted, or refused by Slack (so nothing is there). */
type Known = { kind: 'posted'; ts: string; consumed: number } | { kind: 'refused' };

/** Own attempts remembered; older ones are forgotten (then a retry looks in Slack first). */
const KNOWN_LIMIT = 10_000;

/** What {@link SlackPostOnce} needs. */
export interface PostOnceDeps {
  /** For searches (find-posted.ts). */
  client: WebClient;
  /** For the posts themselves: the direct caller (web-api-call.ts), which fails with the client's errors. */
  call: SlackCall;
  markers: AttemptMarkers;
  /** This process's instance id: a marker with another owner was left by a process that may have died mid-call. */
  owner: string;
  clock: Clock;
  log: Logger;
}

/**
 * Posts a message at most once per key across crashes and replicas. Slack's
 * chat.postMessage has no idempotency key, so each post carries its key in
 * message metadata and an attempt marker is written first (one store write,
 * the only extra cost of a normal post). When a marker is already there and
 * it is not known that nothing was posted (another process made the attempt,
 * or ours ended in a timeout or a reset connection, after which Slack may
 * have taken the message), the message is looked for in Slack and, if found,
 * used instead of posting again. A clean Slack error (`ratelimited`, any
 * `ok:false` answer) proves nothing was posted, so no search follows it.
 *
 * What can still repeat: a post whose earlier message lies beyond the pages
 * a search reads (find-posted.ts) or in a channel the bot may not read
 * (missing_scope), both logged; a header when our clock runs more than a
 * minute ahead of Slack's; a post made by a replica that lost the lane's
 * lease mid-call, if its message reached Slack only after the next holder had
 * searched.
 */
export class SlackPostOnce {
  private readonly known = new Map<string, Known>();

  constructor(private readonly d: PostOnceDeps) {}

  /**
   * Posts `args` under `key`, standing for `consumed` outbox items. `args` may
   * still be computed (a promise): it is awaited beside the marker's write,
   * and nothing is posted unless both succeeded.
   */
  async post(pending: PostArgs | Promise<PostArgs>, key: string, consumed: number): Promise<PostedOnce> {
    const attempt: AttemptMarker = { owner: this.d.owner, consumed, at: this.d.clock.now() };
    const [earlier, args] = await Promise.all([this.d.markers.begin(key, attempt), pending]);
    if (earlier) {
      const found = await this.settle(key, earlier, { channel: args.channel, ...(args.thread_ts ? { thread: args.thread_ts } : {}) });
      if (found) return found;
      // The first attempt's time stays: a later search must still cover it.
      await this.d.markers.replace(key, { ...attempt, at: Math.min(earlier.at, attempt.at) });
    }
    return this.send(args, key, consumed);
  }

  /** An earlier attempt of `key`: its message when it is in Slack, undefined when it is to be posted. */
  private async settle(key: string, earlier: AttemptMarker, place: PostPlace): Promise<PostedOnce | undefined> {
    const mine = earlier.owner === this.d.owner ? this.known.get(key) : undefined;
    if (mine?.kind === 'posted') return { ts: mine.ts, consumed: mine.consumed, found: true };
    if (mine?.kind === 'refused') return undefined;
    const result = await this.search(place, key, earlier.at);
    if (result.kind === 'found') {
      this.d.log.info({ key, channel: place.channel, ts: result.ts, previousOwner: earlier.owner }, 'slack post of an interrupted attempt found; not posting it again');
      this.remember(key, { kind: 'posted', ts: result.ts, consumed: earlier.consumed });
      return { ts: result.ts, consumed: earlier.consumed, found: true };
    }
    if (result.kind === 'unsure') {
      this.d.log.warn({ key, channel: place.channel, pagesRead: result.pagesRead }, 'slack post of an interrupted attempt not found in the messages read; posting it again, so it may show twice');
    }
    return undefined;
  }

  /** findPosted, except that a missing read scope posts (at least once) instead of blocking the thread. */
  private async search(place: PostPlace, key: string, since: number): Promise<FindResult> {
    try {
      return await findPosted(this.d.client, place, key, since);
    } catch (err) {
      if (slackError(err) !== 'missing_scope') throw err;
      this.d.log.error({ key, channel: place.channel }, 'Slack refused to read the channel (missing_scope): add channels:history (groups:history for a private channel) and reinstall the app; until then a post whose answer was lost may show twice');
      return { kind: 'unsure', pagesRead: 0 };
    }
  }

  private async send(args: PostArgs, key: string, consumed: number): Promise<PostedOnce> {
    try {
      const res = await this.d.call('chat.postMessage', { ...args, metadata: postMetadata(key) });
      const ts = res.ts as string;
      this.remember(key, { kind: 'posted', ts, consumed });
      return { ts, consumed, found: false };
    } catch (err) {
      if (provesNothingPosted(err)) this.remember(key, { kind: 'refused' });
      else this.known.delete(key);
      throw err;
    }
  }

  private remember(key: string, what: Known): void {
    this.known.delete(key);
    this.known.set(key, what);
    if (this.known.size > KNOWN_LIMIT) this.known.delete(this.known.keys().next().value!);
  }
}

/**
 * Slack answered and said no (`ok:false`, or 429 `ratelimited`): the message
 * was not posted. A timeout, a reset connection or an HTTP 5xx prove nothing:
 * Slack may have posted it before the answer was lost.
 */
function provesNothingPosted(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'slack_webapi_platform_error' || code === 'slack_webapi_rate_limited_error';
}

function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error;
}
