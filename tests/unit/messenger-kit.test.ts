import { describe, expect, it, vi } from 'vitest';
import type { REST } from 'discord.js';
import { cachedPing } from '../../src/bot/kit/cached-ping.js';
import { IdentityCache } from '../../src/bot/kit/identity-cache.js';
import { PartProgress, PROGRESS_TTL_MS } from '../../src/bot/kit/part-progress.js';
import { scopedState } from '../../src/bot/kit/state-port.js';
import { statusLabel } from '../../src/bot/kit/status-label.js';
import { DiscordDeliverer } from '../../src/bot/discord/deliver.js';
import { ThreadRegistry } from '../../src/bot/discord/thread-registry.js';
import type { Desk } from '../../src/core/desk.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import { createLogger } from '../../src/runtime/logger.js';
import { memoryState } from './memory-state.js';
import { discordMessenger } from '../../src/bot/discord/module.js';
import { telegramMessenger } from '../../src/bot/telegram/module.js';
import { topicState } from '../../src/bot/telegram/topic-state.js';

const STATE_PREFIX = { telegram: telegramMessenger.statePrefix, discord: discordMessenger.statePrefix };

describe('IdentityCache', () => {
  it('calls the platform once, shares a pending call, and keeps the answer', async () => {
    const fetch = vi.fn(async () => ({ id: 'B1' }));
    const cache = new IdentityCache(fetch);
    expect(cache.current).toBeUndefined();
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toEqual({ id: 'B1' });
    expect(b).toBe(a);
    await cache.get();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(cache.current).toEqual({ id: 'B1' });
  });

  it('does not keep a failure: the next call tries again', async () => {
    const fetch = vi.fn().mockRejectedValueOnce(new Error('unreachable')).mockResolvedValueOnce({ id: 'B2' });
    const cache = new IdentityCache<{ id: string }>(fetch);
    await expect(cache.get()).rejects.toThrow('unreachable');
    await expect(cache.get()).resolves.toEqual({ id: 'B2' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('takes an identity announced by other means without a call', async () => {
    const fetch = vi.fn(async () => ({ id: 'from-call' }));
    const cache = new IdentityCache(fetch);
    cache.set({ id: 'from-ready' });
    await expect(cache.get()).resolves.toEqual({ id: 'from-ready' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('cachedPing', () => {
  it('calls at most once per interval and repeats a failure meanwhile', async () => {
    let now = 0;
    const call = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue('ok');
    const ping = cachedPing(call, 15_000, () => now);
    await expect(ping()).rejects.toThrow('down');
    now = 10_000;
    await expect(ping()).rejects.toThrow('down');
    expect(call).toHaveBeenCalledTimes(1);
    now = 15_000;
    await expect(ping()).resolves.toBeUndefined();
    now = 20_000;
    await expect(ping()).resolves.toBeUndefined();
    expect(call).toHaveBeenCalledTimes(2);
  });
});

describe('statusLabel', () => {
  it('says the same words for every messenger', () => {
    expect(statusLabel({ status: 'unclaimed' })).toBe('🟡 Waiting for an agent');
    expect(statusLabel({ status: 'claimed', assignee: 'Ana' })).toBe('🟢 Claimed by Ana');
    expect(statusLabel({ status: 'closed' })).toBe('⚪ Closed');
  });
});

describe('the messengers\' state prefixes', () => {
  it('read what earlier versions wrote: Telegram topic states and @handles, the Discord thread registry', async () => {
    const store = memoryState();
    await store.setString('telegram-topic:c1', 'gone');
    await store.setString('telegram-handle:ana', '42');
    await store.setString('discord:thread-parent:900', '800');
    expect(await topicState(scopedState(store, STATE_PREFIX.telegram), 'c1')).toBe('gone');
    expect(await scopedState(store, STATE_PREFIX.telegram).getString('handle:ana')).toBe('42');
    expect(await scopedState(store, STATE_PREFIX.discord).getString('thread-parent:900')).toBe('800');
  });
});

describe('scopedState', () => {
  it('keeps every key inside the messenger namespace', async () => {
    const store = memoryState();
    const state = scopedState(store, 'telegram:');
    await state.setString('topic:c1', 'gone');
    await state.addMember('open', 't1');
    expect(await store.getString('telegram:topic:c1')).toBe('gone');
    expect(await store.getString('topic:c1')).toBeUndefined();
    expect(await store.members('telegram:open')).toEqual(['t1']);
    expect(await state.compareAndSet('topic:c1', 'gone', 'recreated')).toBe(true);
    expect(await state.getString('topic:c1')).toBe('recreated');
  });
});

describe('PartProgress', () => {
  it('counts the calls of an item in the store, with a TTL, so a new instance continues', async () => {
    let now = 1000;
    const state = memoryState(() => now);
    const sent: string[] = [];
    const send = (index: number, last: boolean) => { sent.push(`${index}${last ? ' last' : ''}`); return Promise.resolve(); };
    expect(await new PartProgress(state).step('item1', 3, send)).toBe(false);
    // A restart: another instance on the same store.
    expect(await new PartProgress(state).step('item1', 3, send)).toBe(false);
    expect(await new PartProgress(state).step('item1', 3, send)).toBe(true);
    expect(sent).toEqual(['0', '1', '2 last']);
    // Not dropped yet (a crash before the outbox removed the item): only the last call is repeated.
    expect(await new PartProgress(state).step('item1', 3, send)).toBe(true);
    expect(sent.at(-1)).toBe('2 last');
    // A failed or finished item leaves nothing once the TTL has passed.
    now += PROGRESS_TTL_MS;
    expect(await new PartProgress(state).sent('item1')).toBe(0);
    expect(state.atomic.values.size).toBe(0);
  });

  it('does not count a call that failed', async () => {
    const state = memoryState();
    const progress = new PartProgress(state);
    await expect(progress.step('item2', 2, () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    expect(await progress.sent('item2')).toBe(0);
  });
});

describe('a deliverer restarted in the middle of a long text', () => {
  it('continues at the next part instead of sending the first again', async () => {
    const state = memoryState();
    await state.setString('dm:U1', 'DM1');
    const posts: string[] = [];
    const rest = { setToken: () => rest, post: vi.fn(async (_route: string, o: { body: { content: string } }) => { posts.push(o.body.content); return { id: 'm' }; }) } as unknown as REST;
    const desk = { conversations: { get: async () => undefined } } as unknown as Desk;
    const deliverer = () => new DiscordDeliverer({
      rest, token: 't', guildId: 'G', desk, registry: new ThreadRegistry(state), log: createLogger('silent'),
      fetchMedia: async () => undefined, state, clock: { now: () => 0, sleep: async () => {} },
    });
    const text = `${'a'.repeat(2000)}${'b'.repeat(2000)}${'c'.repeat(10)}`;
    const item: OutboxItem = { id: 'it-1', lane: 'seat:U1', via: 'discord', payload: { op: 'dm', platform: 'discord', user: 'U1', text }, createdAt: 0, attempts: 0 };
    expect((await deliverer().deliver([item])).kind).toBe('progress');
    expect((await deliverer().deliver([item])).kind).toBe('progress');
    expect(await deliverer().deliver([item])).toEqual({ kind: 'delivered', consumed: 1 });
    expect(posts.map((p) => p[0])).toEqual(['a', 'b', 'c']);
  });
});

describe('PartProgress with a single call', () => {
  it('neither reads nor writes the store', async () => {
    const state = memoryState();
    const getString = vi.spyOn(state, 'getString');
    const send = vi.fn(async () => {});
    expect(await new PartProgress(state).step('one', 1, send)).toBe(true);
    expect(send).toHaveBeenCalledWith(0, true);
    expect(getString).not.toHaveBeenCalled();
    expect(state.atomic.values.size).toBe(0);
  });
});
