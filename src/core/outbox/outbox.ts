import type { BatchPort, Clock, LeasePort, ListPort, SetPort, WriteOp } from '../ports.js';
import { keys } from '../keys.js';
import type { OutboxItem, OutboxPayload, Via } from './items.js';

/**
 * The outbox's storage side: append to a lane, look at its head, drop what was
 * delivered. Lanes with pending items are listed in one set, so a worker (on
 * any replica, or after a restart) finds them.
 */
export class Outbox {
  private seq = 0;
  /** Appends this process made per lane with items (see appendsTo). */
  private readonly appends = new Map<string, number>();
  /** Called after every append with the lane, so a local worker can start at once. */
  onAppend: (lane: string) => void = () => {};

  constructor(
    private readonly store: ListPort & LeasePort & SetPort & BatchPort,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async append(lane: string, via: Via, payload: OutboxPayload): Promise<OutboxItem> {
    const { item, ops } = this.stage(lane, via, payload);
    await this.store.writeAtomically(ops);
    this.appended([lane]);
    return item;
  }

  /**
   * The writes that append an item, for a caller that stores them in one
   * atomic batch with other effects; call `appended` once the batch landed.
   */
  stage(lane: string, via: Via, payload: OutboxPayload): { item: OutboxItem; ops: WriteOp[] } {
    const item: OutboxItem = { id: `${this.newId()}-${++this.seq}`, lane, via, payload, createdAt: this.clock.now(), attempts: 0 };
    return {
      item,
      ops: [
        { kind: 'push', key: keys.outboxLane(lane), values: [JSON.stringify(item)] },
        { kind: 'addMember', key: keys.outboxLanes(), member: lane },
      ],
    };
  }

  /** Tells the local worker that these lanes have new items (after a staged batch landed). */
  appended(lanesWithItems: readonly string[]): void {
    for (const lane of new Set(lanesWithItems)) {
      this.appends.set(lane, (this.appends.get(lane) ?? 0) + 1);
      this.onAppend(lane);
    }
  }

  /**
   * Tells the local worker about `item` once the batch that stages it is committed, which on
   * the embedded store comes before the batch is durable (its fsync follows the COMMIT, and
   * reads act on committed data: group-commit.ts), so delivery need not wait for the disk.
   * True when the worker was told; false when the read did not find the item (it overtook the
   * write): the caller then reports it with `appended` once the batch resolved, as usual.
   */
  async appendedOnCommit(lane: string, item: OutboxItem): Promise<boolean> {
    try {
      const [tail] = await this.store.range(keys.outboxLane(lane), -1, -1);
      // Items are stored as JSON with the id first; a later item at the tail means this one was not checked.
      if (!tail?.startsWith(`{"id":${JSON.stringify(item.id)},`)) return false;
    } catch {
      return false;
    }
    this.appended([lane]);
    return true;
  }

  /**
   * How many appends to `lane` this process has reported so far: when it is
   * unchanged since a head was read, and no other process writes to the
   * store, that head is still the lane's head.
   */
  appendsTo(lane: string): number {
    return this.appends.get(lane) ?? 0;
  }

  async head(lane: string, max: number): Promise<OutboxItem[]> {
    const raw = await this.store.range(keys.outboxLane(lane), 0, max - 1);
    return raw.map((r) => JSON.parse(r) as OutboxItem);
  }

  /**
   * Takes the lane's lease (`leaseKey`, for `owner`, see LeasePort) and reads its head in the
   * same store call; undefined while another owner holds the lease.
   */
  async leaseAndHead(lane: string, leaseKey: string, owner: string, ttlMs: number, max: number): Promise<OutboxItem[] | undefined> {
    const raw = await this.store.takeLeaseAndRange(leaseKey, owner, ttlMs, keys.outboxLane(lane), 0, max - 1);
    return raw?.map((r) => JSON.parse(r) as OutboxItem);
  }

  async drop(lane: string, count: number): Promise<void> {
    if (count > 0) await this.store.dropHead(keys.outboxLane(lane), count);
  }

  /**
   * After an attempt: removes the first `count` items of a lane with `records` and, with
   * `retire`, retires the lane if that emptied it, in one atomic step; on a shared store only
   * while `lease` (the lane's) names its owner, and renewing it or, with the retirement,
   * deleting it (LeasePort.settleListHead).
   */
  async settleHead(lane: string, count: number, records: readonly WriteOp[], o: { retire: boolean; lease?: { key: string; owner: string; ttlMs: number } }): Promise<'lost' | 'held' | 'retired'> {
    const settled = await this.store.settleListHead({
      listKey: keys.outboxLane(lane), count, along: records,
      ...(o.lease ? { lease: o.lease } : {}),
      ...(o.retire ? { retire: { setKey: keys.outboxLanes(), member: lane } } : {}),
    });
    if (settled === 'retired') this.appends.delete(lane);
    return settled;
  }

  /** Retires an empty lane; false when something was appended meanwhile. */
  async retireIfEmpty(lane: string): Promise<boolean> {
    const retired = await this.store.removeMemberIfListEmpty(keys.outboxLanes(), lane, keys.outboxLane(lane));
    if (retired) this.appends.delete(lane);
    return retired;
  }

  /** `retireIfEmpty`, giving back the lane's lease (`leaseKey`, if it names `owner`) in the same step when it retired. */
  async retireReleasing(lane: string, leaseKey: string, owner: string): Promise<boolean> {
    const retired = await this.store.removeMemberIfListEmptyReleasing(keys.outboxLanes(), lane, keys.outboxLane(lane), leaseKey, owner);
    if (retired) this.appends.delete(lane);
    return retired;
  }

  async pendingLanes(): Promise<string[]> {
    return this.store.members(keys.outboxLanes());
  }

  /** Waiting items per via (the messenger or channel a lane goes through, read from its head): the depth of each destination class. */
  async pendingByVia(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const lane of await this.pendingLanes()) {
      const [head] = await this.head(lane, 1);
      if (head) out[head.via] = (out[head.via] ?? 0) + (await this.store.length(keys.outboxLane(lane)));
    }
    return out;
  }

  async pendingCount(): Promise<number> {
    let n = 0;
    for (const lane of await this.pendingLanes()) n += await this.store.length(keys.outboxLane(lane));
    return n;
  }
}
