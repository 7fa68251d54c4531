/** A workspace member the fake knows (users.info, conversations.open, chat.postEphemeral). */
export interface FakeUser {
  name: string;
  real_name: string;
  display_name?: string;
  tz?: string;
  is_bot?: boolean;
}

/** One Web API request as the fake saw it. */
export interface RecordedCall {
  method: string;
  /** Arguments after form/JSON decoding; nested values stay as sent (JSON strings when form-encoded). */
  args: Record<string, unknown>;
  /** HTTP status the fake answered with (200 for `ok:false` errors, 429 when rate limited, 0 when the answer was lost). */
  status: number;
  ok: boolean;
  error?: string;
  /** Which token authenticated it: 'bot', 'app', or undefined. */
  tokenType?: 'bot' | 'app';
  /** `Date.now()` when the request arrived. */
  time: number;
}

/** A message in a channel, DM or thread; chat.update edits it in place. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload?: unknown };
  /** Author: the bot user for messages the app posted, a member for `addUserMessage`. */
  user: string;
  /** Present on messages posted by the app (Slack: modern apps' messages carry `bot_id`). */
  bot_id?: string;
  app_id?: string;
  team: string;
  files?: Array<Record<string, unknown>>;
  edited?: { user: string; ts: string };
  reply_broadcast?: boolean;
  unfurl_links?: boolean;
  unfurl_media?: boolean;
  reactions?: Array<{ name: string; users: string[]; count: number }>;
}

/** A message only one user can see (chat.postEphemeral). */
export interface EphemeralMessage {
  channel: string;
  user: string;
  /** The `message_ts` returned to the caller. */
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** A reaction the app added with reactions.add. */
export interface ReactionRecord {
  channel: string;
  ts: string;
  name: string;
  user: string;
}

/** A file from files.getUploadURLExternal, filled by the upload and shared by files.completeUploadExternal. */
export interface FileRecord {
  id: string;
  filename: string;
  length: number;
  /** The type Slack reports for a person's file (`image/png`). */
  mimetype?: string;
  alt_text?: string;
  snippet_type?: string;
  /** Bytes received at the upload URL; undefined until uploaded. */
  bytes?: Buffer;
  title?: string;
  completed: boolean;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
}

/** A scripted failure for the next calls of one method. */
export interface FailureSpec {
  /** Slack error code for the `{ok:false,error}` body, e.g. 'fatal_error'. */
  error?: string;
  /** HTTP status to answer with instead of 200, e.g. 500 or 503 (or 429). */
  status?: number;
  /** Retry-After seconds when `status` is 429 (default 1). */
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  count?: number;
}

/** A modal opened with views.open. */
export interface OpenedView {
  id: string;
  trigger_id: string;
  view: { type: string; callback_id?: string; private_metadata?: string; blocks?: unknown[]; title?: unknown; submit?: unknown };
  time: number;
}

/** Everything the fake remembers; `reset()` empties it. */
export interface FakeState {
  calls: RecordedCall[];
  /** Every message, oldest first: change it only through addMessage and removeMessage, which keep the indexes below. */
  messages: StoredMessage[];
  /** `channel ts` → message. */
  messageIndex: Map<string, StoredMessage>;
  /** `channel thread_ts` → the thread's replies, oldest first (a parent is not among its replies). */
  replyIndex: Map<string, StoredMessage[]>;
  ephemerals: EphemeralMessage[];
  reactions: ReactionRecord[];
  files: FileRecord[];
  /** Modals opened with views.open, newest last. */
  views: OpenedView[];
  /** trigger_ids already used (Slack accepts each once, within 3 s). */
  usedTriggers: Set<string>;
  /** user-set key → conversation id, for conversations.open `already_open`. */
  openConversations: Map<string, string>;
  failures: Map<string, Required<Pick<FailureSpec, 'count'>> & FailureSpec>;
  /** Methods whose next answers are lost after the call took effect, with how many (`loseAnswerNext`). */
  lostAnswers: Map<string, number>;
  rateLimitedCount: number;
}

/** Creates empty state. */
export function createState(): FakeState {
  return {
    calls: [],
    messages: [],
    messageIndex: new Map(),
    replyIndex: new Map(),
    ephemerals: [],
    reactions: [],
    files: [],
    views: [],
    usedTriggers: new Set(),
    openConversations: new Map(),
    failures: new Map(),
    lostAnswers: new Map(),
    rateLimitedCount: 0,
  };
}

/** Empties `state` in place, so references the tests hold stay valid. */
export function clearState(state: FakeState): void {
  state.calls.length = 0;
  state.messages.length = 0;
  state.messageIndex.clear();
  state.replyIndex.clear();
  state.ephemerals.length = 0;
  state.reactions.length = 0;
  state.files.length = 0;
  state.views.length = 0;
  state.usedTriggers.clear();
  state.openConversations.clear();
  state.failures.clear();
  state.lostAnswers.clear();
  state.rateLimitedCount = 0;
}

/*
 * Messages are looked up by channel and ts for every thread post (its parent)
 * and every header (its replies): indexed, so a fake holding thousands of
 * messages answers as fast as an empty one (a scan of all of them was a fifth
 * of the throughput benchmark's load process).
 */
const at = (channel: string, ts: string) => `${channel} ${ts}`;

/** Stores a message (its ts is newer than every stored one's). */
export function addMessage(state: FakeState, msg: StoredMessage): void {
  state.messages.push(msg);
  state.messageIndex.set(at(msg.channel, msg.ts), msg);
  if (msg.thread_ts && msg.thread_ts !== msg.ts) {
    const key = at(msg.channel, msg.thread_ts);
    const replies = state.replyIndex.get(key);
    if (replies) replies.push(msg);
    else state.replyIndex.set(key, [msg]);
  }
}

/** Deletes a message; returns it, or undefined when there is none at that ts. */
export function removeMessage(state: FakeState, channel: string, ts: string): StoredMessage | undefined {
  const msg = state.messageIndex.get(at(channel, ts));
  if (!msg) return undefined;
  state.messageIndex.delete(at(channel, ts));
  state.messages.splice(state.messages.indexOf(msg), 1);
  if (msg.thread_ts && msg.thread_ts !== msg.ts) {
    const replies = state.replyIndex.get(at(channel, msg.thread_ts))!;
    replies.splice(replies.indexOf(msg), 1);
  }
  return msg;
}

/** The message at `ts` in `channel` (none without a ts: an argument the call left out). */
export function messageAt(state: FakeState, channel: string, ts: string | undefined): StoredMessage | undefined {
  return ts ? state.messageIndex.get(at(channel, ts)) : undefined;
}

/** The replies in the thread of `parentTs` in `channel`, oldest first. */
export function repliesAt(state: FakeState, channel: string, parentTs: string): readonly StoredMessage[] {
  return state.replyIndex.get(at(channel, parentTs)) ?? [];
}
