import type { Clock, ListPort, SetPort } from '../ports.js';
import { keys } from '../keys.js';
import type { OutboxItem, OutboxPayload, Via } from './items.js';

/**
 * The outbox's storage side: append to a lane, look at its head, drop what was
 * delivered. Lanes with pending items are listed in one set, so a worker (on
 * any replica, or after a restart) finds them.
 */
export class Outbox {
  private seq = 0;
  /** Called after every append with the lane, so a local worker can start at once. */
  onAppend: (lane: string) => void = () => {};

  constructor(
    private readonly store: ListPort & SetPort,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async append(lane: string, via: Via, payload: OutboxPayload): Promise<OutboxItem> {
    const item: OutboxItem = { id: `${this.newId()}-${++this.seq}`, lane, via, payload, createdAt: this.clock.now(), attempts: 0 };
    await this.store.push(keys.outboxLane(lane), JSON.stringify(item));
    await this.store.addMember(keys.outboxLanes(), lane);
    this.onAppend(lane);
    return item;
  }

  async head(lane: string, max: number): Promise<OutboxItem[]> {
    const raw = await this.store.range(keys.outboxLane(lane), 0, max - 1);
    return raw.map((r) => JSON.parse(r) as OutboxItem);
  }

  async drop(lane: string, count: number): Promise<void> {
    if (count > 0) await this.store.dropHead(keys.outboxLane(lane), count);
  }

  /** Retires an empty lane; false when something was appended meanwhile. */
  async retireIfEmpty(lane: string): Promise<boolean> {
    return this.store.removeMemberIfListEmpty(keys.outboxLanes(), lane, keys.outboxLane(lane));
  }

  async pendingLanes(): Promise<string[]> {
    return this.store.members(keys.outboxLanes());
  }

  async pendingCount(): Promise<number> {
    let n = 0;
    for (const lane of await this.pendingLanes()) n += await this.store.length(keys.outboxLane(lane));
    return n;
  }
}
