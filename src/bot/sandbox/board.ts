import { processLocks } from '../../core/lock.js';
import type { Clock } from '../../core/ports.js';
import type { StatePort } from '../kit/state-port.js';

/** The header card as the page shows it: words already in the queue's language. */
export interface HeaderView {
  title: string;
  fields: { label: string; value: string }[];
  buttons: { action: string; label: string; style?: 'primary' | 'danger' }[];
  hint: string;
}

/** One message in a thread: the customer's (mirrored), the desk's notice, or the agent's own. */
export interface Post {
  id: string;
  kind: 'customer' | 'notice' | 'agent';
  author: string;
  text: string;
  at: number;
  /** An agent's message the customer's channel accepted (the ✓). */
  delivered?: boolean;
}

export interface BoardThread {
  id: string;
  convId: string;
  channel: string;
  header: HeaderView;
  posts: Post[];
  openedAt: number;
}

/** A message only the agent sees: a private answer, or a DM (escalation, alert). */
export interface Note {
  id: string;
  kind: 'private' | 'dm';
  text: string;
  at: number;
  /** The thread it is about, for a link on the page. */
  thread?: string;
}

/** What the page asks for: everything changed after `version` of this process (`epoch`), or everything. */
export interface BoardChanges {
  epoch: string;
  version: number;
  full: boolean;
  threads: BoardThread[];
  notes: Note[];
}

/** The page keeps this many private notes; older ones fall off. */
const MAX_NOTES = 50;

/**
 * The sandbox messenger's "platform": threads, posts, header cards and private
 * notes, kept in the adapter's own namespace of the store (so they outlive a
 * restart on the same DATA_DIR), plus an in-process change feed the page
 * polls. Writes to one thread run one at a time (the thread's posts and its
 * header edits come from two outbox lanes and the page's reply box).
 */
export class SandboxBoard {
  private readonly locks;
  private version = 1;
  /** Version at which each thread (`thread id`) or the notes (`''`) last changed in this process. */
  private readonly changedAt = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly state: StatePort, clock: Clock, readonly epoch: string) {
    this.locks = processLocks(clock);
  }

  thread(id: string): Promise<BoardThread | undefined> {
    return this.state.get<BoardThread>(`thread:${id}`);
  }

  /** Opens the thread once: a repeated opening (an outbox retry) keeps the one there. */
  async openThread(id: string, convId: string, channel: string, header: HeaderView, now: number): Promise<void> {
    await this.change(id, (t) => t ?? { id, convId, channel, header, posts: [], openedAt: now });
    await this.state.addMember('threads', id);
  }

  async setHeader(id: string, header: HeaderView): Promise<boolean> {
    return this.change(id, (t) => t && { ...t, header });
  }

  /** Adds a post once per id (the outbox item's id, or the page's id of a reply): a retry adds nothing. */
  async addPost(id: string, post: Post): Promise<boolean> {
    return this.change(id, (t) => t && (t.posts.some((p) => p.id === post.id) ? t : { ...t, posts: [...t.posts, post] }));
  }

  async markDelivered(id: string, postId: string): Promise<boolean> {
    let found = false;
    await this.change(id, (t) => {
      if (!t?.posts.some((p) => p.id === postId)) return undefined;
      found = true;
      return { ...t, posts: t.posts.map((p) => (p.id === postId ? { ...p, delivered: true } : p)) };
    });
    return found;
  }

  async addNote(note: Note): Promise<void> {
    await this.locks.run('notes', async () => {
      const notes = (await this.state.get<Note[]>('notes')) ?? [];
      if (notes.some((n) => n.id === note.id)) return;
      await this.state.set('notes', [...notes, note].slice(-MAX_NOTES));
      this.touch('');
    });
  }

  /** What changed since `version` of `epoch`; everything when the page knew another process or nothing yet. */
  async changes(epoch: string | undefined, version: number): Promise<BoardChanges> {
    const full = epoch !== this.epoch || version <= 0;
    const ids = (await this.state.members('threads')).filter((id) => full || (this.changedAt.get(id) ?? 0) > version);
    const threads = (await Promise.all(ids.map((id) => this.thread(id)))).filter((t): t is BoardThread => t !== undefined);
    const notes = full || (this.changedAt.get('') ?? 0) > version ? (await this.state.get<Note[]>('notes')) ?? [] : [];
    return { epoch: this.epoch, version: this.version, full, threads, notes };
  }

  /** Resolves at the next change, or after `ms`: the page's poll waits here instead of asking again and again. */
  waitForChange(version: number, ms: number): Promise<void> {
    if (version < this.version) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Answers every waiting poll (at shutdown, so no request holds the server open). */
  release(): void {
    // Each waiter removes itself; a Set visits what is left, once.
    for (const w of this.waiters) w();
  }

  private async change(id: string, fn: (t: BoardThread | undefined) => BoardThread | undefined): Promise<boolean> {
    return this.locks.run(`thread:${id}`, async () => {
      const before = await this.thread(id);
      const after = fn(before);
      if (!after) return false;
      if (after !== before) {
        await this.state.set(`thread:${id}`, after);
        this.touch(id);
      }
      return true;
    });
  }

  private touch(key: string): void {
    this.version += 1;
    this.changedAt.set(key, this.version);
    this.release();
  }
}
