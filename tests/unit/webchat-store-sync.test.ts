import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import type { VisitorHistory } from '../../src/channels/webchat/history.js';
import { StoreSync } from '../../src/channels/webchat/hub-upkeep.js';
import { VisitorSockets, type Client } from '../../src/channels/webchat/visitor-sockets.js';

/**
 * With Redis, sockets look for lines another replica appended. One read per
 * visitor at once would be a burst of 1,000 commands every round that the
 * replies' own store calls queue behind; the round is sliced instead.
 */
describe('the web chat sync with the shared history', () => {
  it('looks at every visitor once per round, a tenth of them per tick, and notifies those behind', async () => {
    const sockets = new VisitorSockets();
    for (let i = 0; i < 95; i++) {
      const client: Client = { ws: {} as WebSocket, ip: '127.0.0.1', queue: 'default', sent: 3, alive: true, lastActivity: 0, chain: Promise.resolve() };
      sockets.add(client);
      sockets.identify(client, `v${i}`);
    }
    const asked: string[] = [];
    const history = { length: (v: string) => { asked.push(v); return Promise.resolve(v === 'v42' ? 4 : 3); } } as unknown as VisitorHistory;
    const notified: string[] = [];
    const sync = new StoreSync(sockets, history, (v) => notified.push(v));
    const perTick: number[] = [];
    for (let t = 0; t < StoreSync.SLICES; t++) {
      const before = asked.length;
      sync.tick();
      perTick.push(asked.length - before);
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(Math.max(...perTick)).toBe(10);
    expect(new Set(asked).size).toBe(95);
    expect(asked).toHaveLength(95);
    expect(notified).toEqual(['v42']);
    // The next round starts over.
    sync.tick();
    expect(asked).toHaveLength(105);
  });
});
