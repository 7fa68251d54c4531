import WebSocket from 'ws';

/** One widget: resumes from the last id it saw whenever its socket is cut. */
export class WidgetVisitor {
  ws: WebSocket | undefined;
  token: string | undefined;
  visitorId = '';
  lastSeen = 0;
  readonly agentTexts: string[] = [];
  /** performance.now() when each agent text reached this socket. */
  readonly arrivals = new Map<string, number>();
  /** Which socket of this visitor (1 = the first, +1 per reconnect) each agent text arrived on. */
  readonly arrivedOn = new Map<string, number>();
  /** The socket in use: counts connects. */
  socketNumber = 0;
  duplicates = 0;
  private cutting = Promise.resolve();

  constructor(private readonly url: string, private readonly origin: string, private readonly localAddress: string) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/chat/socket`, { origin: this.origin, localAddress: this.localAddress });
      this.ws = ws;
      const socket = ++this.socketNumber;
      ws.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
      ws.once('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', lastSeen: this.lastSeen, ...(this.token ? { token: this.token } : {}) })));
      ws.on('message', (data) => {
        const at = performance.now();
        const f = JSON.parse(String(data)) as { type: string; id?: number; author?: string; text?: string; token?: string; visitor?: string };
        if (f.type === 'ready') {
          this.token ??= f.token;
          this.visitorId = f.visitor ?? '';
          resolve();
        } else if (f.type === 'message') {
          if (f.id! <= this.lastSeen) { this.duplicates++; return; }
          this.lastSeen = f.id!;
          if (f.author === 'agent') {
            this.agentTexts.push(f.text!);
            this.arrivals.set(f.text!, at);
            this.arrivedOn.set(f.text!, socket);
          }
        }
      });
    });
  }

  /** Writes once and resolves when the desk acknowledged it (stored, handed to the desk). */
  write(text: string): Promise<void> {
    return new Promise((resolve) => {
      const onAck = (data: WebSocket.RawData) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'ack') { this.ws!.off('message', onAck); resolve(); }
      };
      this.ws!.on('message', onAck);
      this.ws!.send(JSON.stringify({ type: 'send', clientId: 'first', text }));
    });
  }

  /** A network drop: no close frame; the visitor comes back at once and resumes. */
  cut(): Promise<void> {
    // One cut at a time per visitor: a socket still connecting is not cut again.
    this.cutting = this.cutting.then(async () => {
      this.ws!.terminate();
      await this.connect();
    });
    return this.cutting;
  }

  close(): void { this.ws?.terminate(); }
}
