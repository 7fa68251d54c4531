import WebSocket from 'ws';

/** A frame the desk sent to a widget. */
export type DeskFrame = { type: string; [k: string]: unknown };

/**
 * A widget's socket without a browser: speaks the protocol of
 * src/channels/webchat/protocol.ts and records every frame it gets.
 */
export interface WidgetSocket {
  frames: DeskFrame[];
  /** `{code, reason}` once closed. */
  closed?: { code: number; reason: string };
  send(frame: object): void;
  waitFor<T>(pick: (frames: DeskFrame[]) => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Opens `/chat/socket` with an `Origin`; rejects with the HTTP status when the upgrade is refused. */
export function openWidgetSocket(baseUrl: string, origin: string): Promise<WidgetSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/chat/socket`, { origin });
  const s: WidgetSocket = {
    frames: [],
    send: (frame) => ws.send(JSON.stringify(frame)),
    async waitFor(pick, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = pick(s.frames);
        if (got !== undefined) return got;
        if (Date.now() > until) throw new Error(`timed out; frames so far: ${JSON.stringify(s.frames)}; closed: ${JSON.stringify(s.closed)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => {
      if (ws.readyState === ws.CLOSED) { resolve(); return; }
      ws.once('close', () => resolve());
      ws.close();
    }),
  };
  ws.on('message', (data) => s.frames.push(JSON.parse(String(data)) as DeskFrame));
  ws.on('close', (code, reason) => { s.closed = { code, reason: String(reason) }; });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(s));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The `message` frames' texts, in order. */
export const texts = (frames: DeskFrame[]) => frames.filter((f) => f.type === 'message').map((f) => f.text as string);
