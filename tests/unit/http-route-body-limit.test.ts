import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, listen, MAX_BODY_BYTES } from '../../src/http/server.js';
import { json, type Route } from '../../src/http/types.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';

/** SPEC §10 refuses bodies over 1 MiB; a route may take more for itself (web chat uploads: 10 MB), and only that route. */
describe('a route\'s own body limit', () => {
  let server: http.Server;
  let url: string;
  const routes: Route[] = [
    { method: 'POST', path: '/big', maxBodyBytes: 3 * MAX_BODY_BYTES, handler: (req) => Promise.resolve(json(200, { bytes: req.rawBody.length })) },
    { method: 'POST', path: '/small', handler: (req) => Promise.resolve(json(200, { bytes: req.rawBody.length })) },
  ];
  beforeAll(async () => {
    server = createHttpServer(routes, createLogger('silent'), new Metrics());
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = (path: string, bytes: number) => fetch(`${url}${path}`, { method: 'POST', body: new Uint8Array(bytes) });

  it('takes a body above 1 MiB on the route that allows it, up to its limit', async () => {
    const res = await post('/big', 2 * MAX_BODY_BYTES);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 2 * MAX_BODY_BYTES });
    const over = await post('/big', 3 * MAX_BODY_BYTES + 1).catch(() => undefined);
    // 413, or the connection closed while the client was still sending: either way nothing reached the route.
    expect(String(over?.status ?? 'closed')).toMatch(/^(413|closed)$/);
  });

  it('keeps 1 MiB on every other route', async () => {
    expect((await post('/small', MAX_BODY_BYTES)).status).toBe(200);
    const over = await post('/small', MAX_BODY_BYTES + 1).catch(() => undefined);
    expect(String(over?.status ?? 'closed')).toMatch(/^(413|closed)$/);
  });
});
