import type { StorePort, WriteOp } from '../../core/ports.js';
import type { FileInfo } from './files.js';
import { announceLocal, feedOps } from './history-feed.js';

/** Who wrote a line of the widget's history; also the widget's `data-td-author`. */
export type WebchatAuthor = 'visitor' | 'agent' | 'system';

/** One line of a visitor's history as stored (its id is its position, see below). */
export interface StoredLine {
  author: WebchatAuthor;
  text: string;
  at: number;
  /** The agent's display name. */
  name?: string;
  /** The widget's own id of a visitor message, so a resent one is recognised. */
  clientId?: string;
  /** Files sent with it (the widget shows images inline). */
  files?: FileInfo[];
  /** An agent's reply: its message in the thread, marked read once the visitor saw it (never sent to the widget). */
  ref?: string;
  /** An agent's reply: its conversation (never sent to the widget). */
  convId?: string;
  /** A change of an earlier reply (SPEC §13): the history id of the line it changes; `text` is the new wording. */
  changes?: number;
  /** With `changes`: the agent deleted that reply. */
  deleted?: true;
}

/** A line as the widget gets it. */
export interface HistoryLine extends StoredLine {
  /** 1-based position in the visitor's history: the id the widget resumes from. */
  id: number;
}

/**
 * A visitor's history: an append-only list per visitor in the store, so every
 * replica and every device of an identified visitor reads the same lines.
 * A line's id is its position, which never changes because nothing is ever
 * removed from the head; a client that saw up to id N asks for what follows
 * N and gets each later line exactly once, in order.
 */
export class VisitorHistory {
  constructor(private readonly store: StorePort) {}

  key(visitorId: string): string {
    return `webchat:history:${visitorId}`;
  }

  /**
   * Appends one line, with its change-feed entry in the same atomic write
   * (history-feed.ts), and tells this process's hubs; returns its id.
   */
  async append(visitorId: string, line: StoredLine): Promise<number> {
    const id = await this.store.pushWith(this.key(visitorId), JSON.stringify(line), feedOps(this.store, visitorId));
    announceLocal(this.store, visitorId);
    return id;
  }

  /** The writes of one appended line, for a caller's atomic batch (the caller then notifies its sockets itself). */
  appendOps(visitorId: string, line: StoredLine): WriteOp[] {
    return [{ kind: 'push', key: this.key(visitorId), values: [JSON.stringify(line)] }, ...feedOps(this.store, visitorId)];
  }

  /** Lines after id `lastSeen` (0: all), at most `limit` of them. */
  async since(visitorId: string, lastSeen: number, limit = 500): Promise<HistoryLine[]> {
    const from = Math.max(0, Math.floor(lastSeen));
    const raw = await this.store.range(this.key(visitorId), from, from + limit - 1);
    return raw.map((r, i) => ({ ...(JSON.parse(r) as StoredLine), id: from + i + 1 }));
  }

  /** The history id of the line an agent message became in a conversation, newest first; undefined if none. */
  async findReply(visitorId: string, convId: string, ref: string): Promise<number | undefined> {
    const CHUNK = 200;
    for (let end = await this.length(visitorId); end > 0; end -= CHUNK) {
      const start = Math.max(0, end - CHUNK);
      const raw = await this.store.range(this.key(visitorId), start, end - 1);
      for (let i = raw.length - 1; i >= 0; i--) {
        const line = JSON.parse(raw[i]!) as StoredLine;
        if (line.ref === ref && line.convId === convId && line.changes === undefined) return start + i + 1;
      }
    }
    return undefined;
  }

  length(visitorId: string): Promise<number> {
    return this.store.length(this.key(visitorId));
  }
}
