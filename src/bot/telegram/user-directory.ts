import type { User } from 'grammy/types';
import type { StatePort } from '../kit/state-port.js';
import { actorOf } from './to-update.js';

const HANDLE_TTL_MS = 365 * 24 * 3600_000;
const handleKey = (handle: string) => `handle:${handle.toLowerCase()}`;

/**
 * Telegram users the bot has seen: display names by id (for notices that
 * address someone) and ids by `@username`. The Bot API cannot look a user up
 * by username, so `/seat add @ana` only resolves a handle that has written
 * somewhere the bot reads; the handle → id map lives in the store, so every
 * replica knows it.
 */
export class TelegramUserDirectory {
  readonly names = new Map<string, string>();
  private readonly handles = new Map<string, string>();

  constructor(private readonly store: Pick<StatePort, 'getString' | 'setString'>) {}

  async saw(user: User): Promise<void> {
    if (user.is_bot) return;
    const id = String(user.id);
    this.names.set(id, actorOf(user).name ?? id);
    if (!user.username) return;
    const handle = user.username.toLowerCase();
    if (this.handles.get(handle) === id) return;
    this.handles.set(handle, id);
    await this.store.setString(handleKey(handle), id, HANDLE_TTL_MS);
  }

  /** `@handle` entries become user ids where known; ids and unknown handles stay as they are. */
  async resolve(mentions: readonly string[]): Promise<string[]> {
    return Promise.all(mentions.map(async (m) => {
      if (!m.startsWith('@')) return m;
      const handle = m.slice(1).toLowerCase();
      const known = this.handles.get(handle) ?? (await this.store.getString(handleKey(handle)));
      return known ?? m;
    }));
  }
}
