import type { AtomicPort, WriteOptions } from '../../core/ports.js';

/** A post that was about to be made: who tried, for how many outbox items, and when. */
export interface AttemptMarker {
  /** Instance id of the process that made the attempt. */
  owner: string;
  /** Outbox items the post stands for (a coalesced run counts each). */
  consumed: number;
  /** When the first attempt began (ms since the epoch, our clock). */
  at: number;
}

/** The store operations markers need: kept this small so the markers can move to an adapter's own state port. */
export type MarkerStore = Pick<AtomicPort, 'setIfAbsent' | 'getString' | 'setString'>;

/**
 * One marker lives a day: an outbox item is retried for far less than that
 * before it is delivered or failed, and a reconciliation only looks back to
 * the first attempt.
 */
export const MARKER_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A marker must be stored before its post is made, and that wait sits inside
 * the channel's slot. Surviving a killed process is what it is for; one lost
 * to a power cut can only make a post show twice, so it does not wait for
 * the fsync.
 */
const MARKER_DURABILITY: WriteOptions = { durability: 'process' };

/** Attempt markers in the store, one atomic key per post key (`slack-attempt:<key>`). */
export class AttemptMarkers {
  constructor(private readonly store: MarkerStore) {}

  /**
   * Writes `marker` unless one is there already, in one store write; returns
   * the marker that was there (undefined when this call wrote the first one).
   */
  async begin(key: string, marker: AttemptMarker): Promise<AttemptMarker | undefined> {
    if (await this.store.setIfAbsent(markerKey(key), JSON.stringify(marker), MARKER_TTL_MS, MARKER_DURABILITY)) return undefined;
    const raw = await this.store.getString(markerKey(key));
    if (raw !== undefined) return parseMarker(raw, marker);
    // It expired between the two calls: ours is the first attempt after all.
    await this.replace(key, marker);
    return undefined;
  }

  /** Overwrites the marker (a new attempt of the same post). */
  async replace(key: string, marker: AttemptMarker): Promise<void> {
    await this.store.setString(markerKey(key), JSON.stringify(marker), MARKER_TTL_MS, MARKER_DURABILITY);
  }
}

function markerKey(key: string): string {
  return `slack-attempt:${key}`;
}

/**
 * A stored marker. One that cannot be read is treated as a stranger's attempt
 * made a marker lifetime ago, so the post is looked for over the whole window
 * before it is made again.
 */
function parseMarker(raw: string, fallback: AttemptMarker): AttemptMarker {
  try {
    const m = JSON.parse(raw) as Partial<AttemptMarker>;
    if (typeof m.owner === 'string' && Number.isInteger(m.consumed) && (m.consumed as number) > 0 && Number.isFinite(m.at)) {
      return { owner: m.owner, consumed: m.consumed as number, at: m.at as number };
    }
  } catch {
    // Falls through to the unknown-owner marker below.
  }
  return { owner: '', consumed: fallback.consumed, at: fallback.at - MARKER_TTL_MS };
}
