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

/** Lines appended by another replica (a reply delivered there): each visitor with a socket behind is notified. */
export function syncFromStore(sockets: VisitorSockets, history: VisitorHistory, notify: (visitorId: string) => void): void {
  for (const visitorId of sockets.visitors()) {
    void history.length(visitorId).then((n) => {
      if ([...sockets.of(visitorId)].some((c) => c.sent < n)) notify(visitorId);
    }, () => undefined);
  }
}
