import { CLOSE } from './protocol.js';
import type { VisitorHistory } from './history.js';
import { messageFrame, writeFrame, type Client } from './visitor-sockets.js';

/** Queued but unsent bytes above which a socket is dropped; the widget resumes from its last id. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Sends a socket every line of its visitor's history after the last one it
 * was sent, in order, until none is left; a socket that cannot keep up is
 * closed (the widget reconnects and resumes from the id it saw). Runs on the
 * socket's chain, so two pushes never interleave.
 */
export async function pushNewLines(history: VisitorHistory, client: Client): Promise<void> {
  if (!client.visitorId) return;
  for (;;) {
    const lines = await history.since(client.visitorId, client.sent);
    if (!lines.length) return;
    for (const line of lines) writeFrame(client, messageFrame(line));
    client.sent = lines[lines.length - 1]!.id;
    if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) { client.ws.close(CLOSE.slowConsumer, 'slow'); return; }
  }
}
