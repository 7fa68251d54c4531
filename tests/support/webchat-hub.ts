import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_LIMITS } from '../../src/channels/webchat/limits.js';
import { LiveHub, type LiveHubOptions } from '../../src/channels/webchat/live-hub.js';
import { parseOrigins } from '../../src/channels/webchat/origins.js';
import type { StorePort } from '../../src/core/ports.js';
import { attachUpgrades } from '../../src/http/server.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';

export const HUB_SITE = 'https://shop.example.com';

/** A live hub alone on its own HTTP server (no desk behind it: visitor messages are taken as duplicates). */
export async function startHub(store: StorePort, extra: Partial<LiveHubOptions> = {}): Promise<{ hub: LiveHub; url: string; close: () => Promise<void> }> {
  const hub = new LiveHub({
    desk: { receiveCustomerMessage: () => Promise.resolve({ status: 'duplicate' }) },
    store, log: createLogger('silent'), metrics: new Metrics(), origins: parseOrigins(HUB_SITE).patterns, identitySecret: undefined, trustedProxies: 0,
    markRead: () => Promise.resolve(), limits: { ...DEFAULT_LIMITS, ipConnections: 10_000 }, ...extra,
  });
  const server = http.createServer((_req, res) => res.end());
  attachUpgrades(server, [{ path: '/chat/socket', handle: (req, socket, head) => hub.upgrade(req, socket, head) }], createLogger('silent'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    hub, url,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
