import { describe, expect, it } from 'vitest';
import { AttemptMarkers, MARKER_TTL_MS, type MarkerStore } from '../../src/bot/slack/attempt-markers.js';

/** The atomic-key operations markers use, in memory, with the TTLs they were given. */
function memoryStore() {
  const values = new Map<string, string>();
  const ttls = new Map<string, number | undefined>();
  const durability = new Map<string, string | undefined>();
  const store: MarkerStore = {
    async setIfAbsent(key, value, ttlMs, options) {
      if (values.has(key)) return false;
      values.set(key, value); ttls.set(key, ttlMs); durability.set(key, options?.durability);
      return true;
    },
    async getString(key) { return values.get(key); },
    async setString(key, value, ttlMs, options) { values.set(key, value); ttls.set(key, ttlMs); durability.set(key, options?.durability); },
  };
  return { store, values, ttls, durability };
}

describe('Slack attempt markers', () => {
  it('writes the first attempt in one call and hands back the earlier one to a later attempt', async () => {
    const { store, values, ttls, durability } = memoryStore();
    const markers = new AttemptMarkers(store);
    expect(await markers.begin('item1:0', { owner: 'a', consumed: 2, at: 1000 })).toBeUndefined();
    expect(values.get('slack-attempt:item1:0')).toBe(JSON.stringify({ owner: 'a', consumed: 2, at: 1000 }));
    expect(ttls.get('slack-attempt:item1:0')).toBe(MARKER_TTL_MS);
    // Stored to survive a killed process, without waiting inside the slot for the fsync.
    expect(durability.get('slack-attempt:item1:0')).toBe('process');
    expect(await markers.begin('item1:0', { owner: 'b', consumed: 3, at: 5000 })).toEqual({ owner: 'a', consumed: 2, at: 1000 });
    await markers.replace('item1:0', { owner: 'b', consumed: 3, at: 1000 });
    expect(await markers.begin('item1:0', { owner: 'c', consumed: 1, at: 9000 })).toEqual({ owner: 'b', consumed: 3, at: 1000 });
  });

  it('reads an unreadable marker as a stranger\'s attempt a marker lifetime ago, so the whole window is searched', async () => {
    const { store, values } = memoryStore();
    values.set('slack-attempt:item2:0', '{"owner":');
    values.set('slack-attempt:item3:0', JSON.stringify({ owner: 'a', consumed: 0, at: 1 }));
    const markers = new AttemptMarkers(store);
    const now = 10 * MARKER_TTL_MS;
    expect(await markers.begin('item2:0', { owner: 'me', consumed: 1, at: now })).toEqual({ owner: '', consumed: 1, at: now - MARKER_TTL_MS });
    expect(await markers.begin('item3:0', { owner: 'me', consumed: 4, at: now })).toEqual({ owner: '', consumed: 4, at: now - MARKER_TTL_MS });
  });
});
