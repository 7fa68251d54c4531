import type { Conversation, TranscriptEntry } from './model.js';
import type { StorePort, WriteOp } from './ports.js';
import { keys } from './keys.js';
import type { Locks } from './lock.js';

/** Conversation records, their transcripts and the thread index. */
export class Conversations {
  /** `locks` keep a record's read-modify-write whole (see lock.ts). */
  constructor(private readonly store: StorePort, private readonly locks: Locks) {}

  get(id: string): Promise<Conversation | undefined> {
    return this.store.get<Conversation>(keys.conversation(id));
  }

  save(conv: Conversation): Promise<void> {
    return this.store.set(keys.conversation(conv.id), conv);
  }

  /**
   * `save` as a write, for an atomic batch with the record's other effects.
   * Saving writes the record and nothing else (the thread index is
   * `indexThread`'s), so the op is all of it.
   */
  saveOp(conv: Conversation): WriteOp {
    return { kind: 'setValue', key: keys.conversation(conv.id), value: conv };
  }

  /**
   * Read-modify-write of one conversation under its lock; returns the saved
   * record. `alongside` gets the new record and its writes are issued in the
   * same tick as the record's, after it: on the embedded store they share one
   * commit, on Redis one round trip of the pipeline, and a crash can leave the
   * record written without them, never them without the record.
   */
  async update(
    id: string,
    change: (conv: Conversation) => Conversation | undefined,
    alongside?: (next: Conversation) => Promise<unknown>,
  ): Promise<Conversation | undefined> {
    // The record is read as the lock is taken (one round trip on Redis: see Locks.runReading).
    return this.locks.runReading(`lock:conv:${id}`, () => this.get(id), async (current) => {
      if (!current) return undefined;
      const next = change(current) ?? current;
      await Promise.all([next !== current ? this.save(next) : undefined, alongside?.(next)]);
      return next;
    });
  }

  /**
   * Read-modify-write of one conversation under its lock, stored in one
   * atomic batch with the writes `ops` makes from the new record (the record
   * first; it is left out when `change` kept it): the record and its effects
   * land together or not at all, in one store call. Returns the saved record.
   */
  async updateWith(id: string, change: (conv: Conversation) => Conversation | undefined, ops: (next: Conversation) => WriteOp[]): Promise<Conversation | undefined> {
    // The record is read as the lock is taken (one round trip on Redis: see Locks.runReading).
    return this.locks.runReading(`lock:conv:${id}`, () => this.get(id), async (current) => {
      if (!current) return undefined;
      const next = change(current) ?? current;
      const batch = [...(next !== current ? [this.saveOp(next)] : []), ...ops(next)];
      if (batch.length) await this.store.writeAtomically(batch);
      return next;
    });
  }

  async byThread(platform: string, workspace: string, channel: string, thread: string): Promise<Conversation | undefined> {
    const id = await this.store.getString(keys.threadIndex(platform, workspace, channel, thread));
    return id ? this.get(id) : undefined;
  }

  /** The thread index entry of the conversation's thread, as a write for a batch with its record (none without a thread). */
  indexThreadOp(conv: Conversation): WriteOp | undefined {
    const t = conv.thread;
    return t ? { kind: 'setString', key: keys.threadIndex(t.platform, t.workspace, t.channel, t.thread), value: conv.id } : undefined;
  }

  async appendTranscript(convId: string, entry: TranscriptEntry): Promise<void> {
    await this.store.push(keys.transcript(convId), JSON.stringify(entry));
  }

  /** The transcript append as a write, for an atomic batch with the entry's other effects. */
  transcriptOp(convId: string, entry: TranscriptEntry): WriteOp {
    return { kind: 'push', key: keys.transcript(convId), values: [JSON.stringify(entry)] };
  }

  async transcript(convId: string, start = 0, stop = -1): Promise<TranscriptEntry[]> {
    return (await this.store.range(keys.transcript(convId), start, stop)).map((r) => JSON.parse(r) as TranscriptEntry);
  }

  /** The claimer's seat id, from the claim lease (the one source of truth). */
  claimer(convId: string): Promise<string | undefined> {
    return this.store.getString(keys.claim(convId));
  }
}
