import { afterAll, describe, expect, it } from 'vitest';
import { VisitorHistory } from '../../src/channels/webchat/history.js';
import { hashSessionToken } from '../../src/channels/webchat/identity.js';
import { WebchatSessions } from '../../src/channels/webchat/sessions.js';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness } from './store-harnesses.js';

/** Resume and sessions of web chat, on both stores: ids are positions, so a resume is exact. */
describe.each([embeddedHarness(), redisHarness()])('web chat history on the $name store', (harness) => {
  const stores: StorePort[] = [];
  const open = async () => { const s = await harness.open(); stores.push(s); return s; };
  afterAll(async () => {
    for (const s of stores) await s.close();
    await harness.cleanup();
  });

  it('numbers lines from 1 and resumes after the last id seen, each line once and in order', async () => {
    const h = new VisitorHistory(await open());
    const ids = [];
    for (const text of ['one', 'two', 'three', 'four']) ids.push(await h.append('v1', { author: 'visitor', text, at: 1 }));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect((await h.since('v1', 0)).map((l) => [l.id, l.text])).toEqual([[1, 'one'], [2, 'two'], [3, 'three'], [4, 'four']]);
    expect((await h.since('v1', 2)).map((l) => l.id)).toEqual([3, 4]);
    expect(await h.since('v1', 4)).toEqual([]);
    // A client that claims to have seen more than exists gets nothing, not an error.
    expect(await h.since('v1', 99)).toEqual([]);
    expect((await h.since('v1', 1, 2)).map((l) => l.id)).toEqual([2, 3]);
  });

  it('keeps each visitor\'s lines apart', async () => {
    const h = new VisitorHistory(await open());
    await h.append('a', { author: 'agent', text: 'for a', name: 'Ana', at: 1 });
    await h.append('b', { author: 'agent', text: 'for b', name: 'Ana', at: 1 });
    expect((await h.since('a', 0)).map((l) => l.text)).toEqual(['for a']);
    expect((await h.since('b', 0)).map((l) => l.text)).toEqual(['for b']);
  });

  it('gives concurrent appends distinct ids', async () => {
    const h = new VisitorHistory(await open());
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => h.append('busy', { author: 'visitor', text: `m${i}`, at: i })));
    expect(new Set(ids).size).toBe(20);
    expect((await h.since('busy', 0)).map((l) => l.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('finds a session by its token while storing only the token\'s hash', async () => {
    const store = await open();
    const sessions = new WebchatSessions(store);
    const { token, visitorId } = await sessions.create(1000);
    expect(await sessions.resolve(token)).toBe(visitorId);
    expect(await store.get(`webchat:session:${token}`)).toBeUndefined();
    expect(await store.get(`webchat:session:${hashSessionToken(token)}`)).toMatchObject({ visitorId });
    expect(await sessions.resolve('f'.repeat(64))).toBeUndefined();
    expect(await sessions.resolve('not a token')).toBeUndefined();
  });
});
