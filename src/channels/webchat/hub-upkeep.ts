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

/** Slices one look over every visitor is spread across: a burst of one read per visitor would queue the replies' own store calls behind it. */
const SYNC_SLICES = 10;

/**
 * Lines appended by another replica (a reply delivered there): every visitor
 * with a socket here is looked at once per round, a slice of them per
 * `tick` (call it SYNC_SLICES times a round), and notified when a socket of
 * theirs is behind the shared history.
 */
export class StoreSync {
  private pending: string[] = [];
  private sliceSize = 0;

  constructor(private readonly sockets: VisitorSockets, private readonly history: VisitorHistory, private readonly notify: (visitorId: string) => void) {}

  static readonly SLICES = SYNC_SLICES;

  tick(): void {
    if (!this.pending.length) {
      this.pending = [...this.sockets.visitors()];
      this.sliceSize = Math.ceil(this.pending.length / SYNC_SLICES);
    }
    for (const visitorId of this.pending.splice(0, this.sliceSize)) {
      void this.history.length(visitorId).then((n) => {
        if ([...this.sockets.of(visitorId)].some((c) => c.sent < n)) this.notify(visitorId);
      }, () => undefined);
    }
  }
}
