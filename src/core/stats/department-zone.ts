import type { QueueRoute } from '../queue-router.js';

/**
 * A department's time zone, in which its figures' days and the weekly
 * digest's Monday 09:00 are counted: the `hours.time_zone` its queues with
 * hours agree on; otherwise (queues disagree, or none has hours)
 * `fallback`, the config's `security.time_zone`.
 */
export function departmentZone(queues: Readonly<Record<string, Pick<QueueRoute, 'department' | 'service'>>>, department: string, fallback: string): string {
  const zones = new Set(Object.values(queues).filter((q) => q.department === department).flatMap((q) => (q.service?.hours ? [q.service.hours.timeZone] : [])));
  return zones.size === 1 ? [...zones][0]! : fallback;
}
