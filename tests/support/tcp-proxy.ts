import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a real server, so a test can take "Redis" away and bring it
 * back without touching the shared Redis itself.
 */
export interface TcpProxy {
  readonly port: number;
  /** Stops listening and cuts every connection: Redis is gone. */
  cut(): Promise<void>;
  /** Listens again on the same port: Redis is back. */
  restore(): Promise<void>;
  /** Keeps connections open but stops passing bytes (a silent network); `resume` delivers what was held. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral 127.0.0.1 port that forwards to `targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;

  const makeServer = () =>
    createServer((inbound) => {
      const outbound = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          sockets.delete(socket);
          inbound.destroy();
          outbound.destroy();
        });
      }
      if (stalled) inbound.pause();
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });

  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });

  let server = makeServer();
  const port = await listen(server, 0);

  const cut = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    port,
    cut,
    async restore() {
      server = makeServer();
      await listen(server, port);
    },
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    close: cut,
  };
}
