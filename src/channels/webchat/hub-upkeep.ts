import { CLOSE } from './protocol.js';
import type { VisitorHistory } from './history.js';
import type { VisitorSockets } from './visitor-sockets.js';

/**
 * Every heartbeat: a socket that did not answer the previous ping is dropped,
 * one with nothing from the visitor for `idleMs` is closed (the widget
 * reconnects on the next keystroke), the others are pinged.
 */
export function heartbeat(sockets: VisitorSockets, now: number, idleMs: number): void {
  for (const c of sockets.all) {
    if (!c.alive) { c.ws.terminate(); sockets.forget(c); continue; }
    if (now - c.lastActivity > idleMs) { c.ws.close(CLOSE.idle, 'idle'); continue; }
    c.alive = false;
    c.ws.ping();
  }
}

/**
 * One look at every visitor with a socket here, for a hub that fell off the
 * change feed's trimmed end (follow-feed.ts): a visitor is notified when a
 * socket of theirs is behind the shared history. One read per visitor, so
 * only when the feed cannot say who changed.
 */
export function lookAtAll(sockets: VisitorSockets, history: VisitorHistory, notify: (visitorId: string) => void): void {
  for (const visitorId of sockets.visitors()) {
    void history.length(visitorId).then((n) => {
      if ([...sockets.of(visitorId)].some((c) => c.sent < n)) notify(visitorId);
    }, () => undefined);
  }
}
