/**
 * Key names of the figures (SPEC §7 `/stats`), kept as events happen. Per
 * local day (`YYYY-MM-DD` in the department's time zone at the event) and
 * queue, so a range of days reads a fixed number of counters however many
 * messages it saw.
 */
export const statsKeys = {
  /** Counter: an event count or sum of one queue on one local day (see QueueCounter). */
  queue: (date: string, queue: string, name: QueueCounter) => `stats:q:${date}:${queue}:${name}`,
  /** Counter: how many first responses of that day fell in histogram bucket `bucket` (response-buckets.ts). */
  firstResponseBucket: (date: string, queue: string, bucket: number) => `stats:q:${date}:${queue}:frt${bucket}`,
  /** Counter: a seat's count in one queue on one local day. */
  seat: (date: string, queue: string, seat: string, name: SeatCounter) => `stats:s:${date}:${queue}:${seat}:${name}`,
  /** Set: the seats that have a figure in a queue on a local day (which seat counters to read). */
  seatsOf: (date: string, queue: string) => `stats:seats:${date}:${queue}`,
  /** Counter: a queue's open conversations now (opened and reopened count up, closed down). */
  open: (queue: string) => `stats:open:${queue}`,
  /** Sorted set: a queue's open conversations that breached an SLA, by their latest breach (overdue). */
  overdue: (queue: string) => `stats:overdue:${queue}`,
} as const;

/**
 * Per queue and day: conversations opened and closed; first responses
 * counted; the sum (ms) and count of every agent response for the average;
 * transfers and SLA breaches.
 */
export type QueueCounter = 'opened' | 'closed' | 'first_count' | 'resp_sum' | 'resp_count' | 'transfers' | 'breaches';
export const QUEUE_COUNTERS: readonly QueueCounter[] = ['opened', 'closed', 'first_count', 'resp_sum', 'resp_count', 'transfers', 'breaches'];

/** Per seat, queue and day: conversations taken (handled), transferred away, and SLA breaches. */
export type SeatCounter = 'handled' | 'transfers' | 'breaches';
export const SEAT_COUNTERS: readonly SeatCounter[] = ['handled', 'transfers', 'breaches'];
