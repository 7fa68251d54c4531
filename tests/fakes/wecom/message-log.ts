import { randomBytes } from 'node:crypto';
import type { KfMessage } from './kf-messages.js';

/** An empty cursor starts at the earliest message of the last 3 days (sync_msg doc, platform-facts.md §2). */
const EMPTY_CURSOR_REACH_S = 3 * 24 * 3600;
/** `limit` is at most 1000 (default 1000). */
export const MAX_LIMIT = 1000;

export type SyncPage =
  | { errcode: 0; next_cursor: string; has_more: 0 | 1; msg_list: KfMessage[] }
  | { errcode: number };

/**
 * The messages `sync_msg` serves, one ordered log per account (open_kfid).
 * Cursors are opaque random strings (≤ 64 bytes, as WeCom's) mapped to a
 * position, so an old cursor serves the same page again, and a test can make
 * the next page start earlier (`rewind`) to re-serve msgids the bot has seen,
 * or answer `has_more: 1` with an empty page (`emptyPages`), both of which
 * WeCom does.
 */
export class MessageLog {
  private readonly logs = new Map<string, KfMessage[]>();
  private readonly cursors = new Map<string, { openKfId: string; position: number }>();
  private readonly rewinds = new Map<string, number>();
  private emptyPagesLeft = 0;

  push(openKfId: string, message: KfMessage): void {
    const log = this.logs.get(openKfId) ?? [];
    log.push(message);
    this.logs.set(openKfId, log);
  }

  messages(openKfId: string): readonly KfMessage[] {
    return this.logs.get(openKfId) ?? [];
  }

  /** The next `n` pages (of any account) are empty with `has_more: 1` and do not advance. */
  emptyPages(n: number): void {
    this.emptyPagesLeft += n;
  }

  /** The next page of `openKfId` starts `count` messages before where its cursor points. */
  rewind(openKfId: string, count: number): void {
    this.rewinds.set(openKfId, (this.rewinds.get(openKfId) ?? 0) + count);
  }

  page(openKfId: string, cursor: string, limit: number, nowS: number): SyncPage {
    const log = this.logs.get(openKfId) ?? [];
    let position: number;
    if (cursor === '') {
      position = log.findIndex((m) => m.send_time >= nowS - EMPTY_CURSOR_REACH_S);
      if (position === -1) position = log.length;
    } else {
      const found = this.cursors.get(cursor);
      // A cursor of another account is as unknown as a made-up one.
      if (!found || found.openKfId !== openKfId) return { errcode: 40058 };
      position = found.position;
    }
    const rewind = this.rewinds.get(openKfId);
    if (rewind) {
      position = Math.max(0, position - rewind);
      this.rewinds.delete(openKfId);
    }
    if (this.emptyPagesLeft > 0) {
      this.emptyPagesLeft -= 1;
      return { errcode: 0, next_cursor: this.cursorAt(openKfId, position), has_more: 1, msg_list: [] };
    }
    const msgList = log.slice(position, position + limit);
    const next = position + msgList.length;
    return {
      errcode: 0,
      next_cursor: this.cursorAt(openKfId, next),
      has_more: next < log.length ? 1 : 0,
      msg_list: msgList.map((m) => structuredClone(m)),
    };
  }

  clear(): void {
    this.logs.clear();
    this.cursors.clear();
    this.rewinds.clear();
    this.emptyPagesLeft = 0;
  }

  private cursorAt(openKfId: string, position: number): string {
    const cursor = randomBytes(12).toString('base64url');
    this.cursors.set(cursor, { openKfId, position });
    return cursor;
  }
}
