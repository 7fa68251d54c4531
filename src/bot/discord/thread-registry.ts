import type { StatePort } from '../kit/state-port.js';

/** A header posted whose thread is not started yet (the two are separate API calls); `card` as it was rendered. */
export interface PendingHeader { channel: string; header: string; card: string }

const k = {
  parent: (thread: string) => `thread-parent:${thread}`,
  open: () => 'open-threads',
  pending: (convId: string) => `pending-header:${convId}`,
  gone: (thread: string) => `thread-gone:${thread}`,
  dm: (user: string) => `dm:${user}`,
  dmClosed: (user: string) => `dm-closed:${user}`,
};

const DAY = 24 * 3600_000;

/**
 * What the Discord adapter keeps in the shared store, so any replica can
 * deliver and the gateway leader can route: which parent channel a thread
 * belongs to (a MESSAGE_CREATE names only the thread), which threads are open
 * (read again after a reconnect), headers waiting for their thread, deleted
 * threads, and DM channels.
 */
export class ThreadRegistry {
  private readonly parents = new Map<string, string>();

  constructor(private readonly store: StatePort) {}

  async parentOf(thread: string): Promise<string | undefined> {
    const known = this.parents.get(thread);
    if (known) return known;
    const parent = await this.store.getString(k.parent(thread));
    if (parent) this.parents.set(thread, parent);
    return parent;
  }

  /** Remembered as soon as the header is posted: the thread will have the header's id. */
  async setParent(thread: string, parent: string): Promise<void> {
    this.parents.set(thread, parent);
    await this.store.setString(k.parent(thread), parent);
  }

  async markOpen(thread: string, open: boolean): Promise<void> {
    if (open) await this.store.addMember(k.open(), thread);
    else await this.store.removeMember(k.open(), thread);
  }

  openThreads(): Promise<string[]> {
    return this.store.members(k.open());
  }

  pendingHeader(convId: string): Promise<PendingHeader | undefined> {
    return this.store.get<PendingHeader>(k.pending(convId));
  }

  async setPendingHeader(convId: string, pending: PendingHeader | undefined): Promise<void> {
    if (pending) await this.store.set(k.pending(convId), pending, 30 * DAY);
    else await this.store.delete(k.pending(convId));
  }

  async isGone(thread: string): Promise<boolean> {
    return (await this.store.getString(k.gone(thread))) !== undefined;
  }

  async markGone(thread: string): Promise<void> {
    await this.store.setString(k.gone(thread), '1', 30 * DAY);
    await this.markOpen(thread, false);
  }

  dmChannel(user: string): Promise<string | undefined> {
    return this.store.getString(k.dm(user));
  }

  async setDmChannel(user: string, channel: string | undefined): Promise<void> {
    if (channel) await this.store.setString(k.dm(user), channel);
    else await this.store.deleteString(k.dm(user));
  }

  async dmClosed(user: string): Promise<boolean> {
    return (await this.store.getString(k.dmClosed(user))) !== undefined;
  }

  /** The person does not accept DMs from server members (50007); asked again after a day. */
  async markDmClosed(user: string): Promise<void> {
    await this.store.setString(k.dmClosed(user), '1', DAY);
  }
}
