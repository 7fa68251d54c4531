/** A Telegram user the fake knows (the bot itself, agents, customers). */
export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A chat: the agents' forum supergroup, or a private chat with a user (its id is the user's). */
export interface FakeChat {
  id: number;
  type: 'supergroup' | 'private';
  title?: string;
  is_forum?: boolean;
  first_name?: string;
  username?: string;
}

/** A file the bot sent (sendDocument/sendPhoto), by upload or by `file_id`. */
export interface FakeFile {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
  /** The uploaded bytes (undefined when sent by `file_id`). */
  bytes?: Buffer;
  /** Set by the first getFile: where `GET /file/bot<token>/<file_path>` serves the bytes. */
  file_path?: string;
}

/** A message in a chat, as the fake keeps it. */
export interface StoredMessage {
  chat_id: number;
  message_id: number;
  /** Forum topic of the message (absent in General and private chats). */
  message_thread_id?: number;
  from: FakeUser;
  /** Unix seconds. */
  date: number;
  text?: string;
  caption?: string;
  entities?: unknown[];
  /** Entities of the caption (a `/command` a person put in a document's caption). */
  caption_entities?: unknown[];
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
  document?: FakeFile;
  photo?: FakeFile;
  /** A service message (the topic's first message is its `forum_topic_created`). */
  service?: 'forum_topic_created';
  edit_date?: number;
  reactions: { emoji: string; user: number }[];
  /** Deleted with its topic: kept for tests to inspect, gone for the API. */
  deleted?: boolean;
}

/** A forum topic of the supergroup. */
export interface FakeTopic {
  chat_id: number;
  message_thread_id: number;
  name: string;
  icon_color: number;
  deleted: boolean;
  closed: boolean;
}

/** One Bot API request as the fake saw it. */
export interface RecordedCall {
  method: string;
  /** Parameters after JSON/form/multipart decoding (JSON-encoded fields parsed). */
  params: Record<string, unknown>;
  /** Uploaded files (multipart parts with a filename). */
  files: { field: string; filename: string; size: number }[];
  /** HTTP status the fake answered with (the Bot API uses the error code as the status). */
  status: number;
  ok: boolean;
  error_code?: number;
  description?: string;
  /** `Date.now()` when the request arrived. */
  time: number;
}

/** One `GET /file/bot<token>/<file_path>` as the fake saw it (the token left out). */
export interface FileDownload {
  file_path: string;
  status: number;
  size: number;
  time: number;
}

/** A callback query the fake delivered, and the bot's answer to it. */
export interface CallbackQueryRecord {
  id: string;
  from: FakeUser;
  chat_id: number;
  message_id: number;
  data: string;
  answer?: { text?: string; show_alert?: boolean };
}

/** A scripted failure for the next call(s) of a method. */
export interface FailureSpec {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
  /** How many calls fail (default 1). */
  count?: number;
}

/** An update the fake handed to the bot, with how it went. */
export interface DeliveredUpdate {
  update_id: number;
  via: 'webhook' | 'polling';
  /** Webhook: the bot's HTTP status; polling: 200 once the offset confirmed it. */
  status?: number;
  update: Record<string, unknown>;
}

export interface FakeState {
  calls: RecordedCall[];
  messages: StoredMessage[];
  topics: FakeTopic[];
  callbackQueries: CallbackQueryRecord[];
  commands: { scope?: unknown; language_code?: string; commands: { command: string; description: string }[] }[];
  deliveries: DeliveredUpdate[];
  downloads: FileDownload[];
  failures: Map<string, FailureSpec & { count: number }>;
  /** Users who pressed Start in a private chat with the bot (only they can receive its messages). */
  started: Set<number>;
  /** Users who blocked the bot. */
  blocked: Set<number>;
  rateLimitedCount: number;
  /** 409 answers to getUpdates (two pollers, or polling while a webhook is set). */
  conflictCount: number;
  nextMessageId: Map<number, number>;
  nextFileId: number;
}

export function createState(): FakeState {
  return {
    calls: [], messages: [], topics: [], callbackQueries: [], commands: [], deliveries: [], downloads: [],
    failures: new Map(), started: new Set(), blocked: new Set(),
    rateLimitedCount: 0, conflictCount: 0, nextMessageId: new Map(), nextFileId: 0,
  };
}

/** A Bot API error (`{ok:false, error_code, description, parameters}`), thrown by methods. */
export class ApiError extends Error {
  constructor(readonly error_code: number, readonly description: string, readonly parameters?: Record<string, unknown>) {
    super(description);
  }
}
