import type { Seat } from '../model.js';
import type { QueueRoute } from '../queue-router.js';
import { can } from '../permissions.js';

/**
 * Whether a seat may see a queue's waiting list (`/queue`): it may claim
 * there, either as a member of the queue or in the queue's department
 * (admins: everywhere). Security seats, strangers and disabled seats may not.
 */
export function mayViewQueue(seat: Seat | undefined, route: Pick<QueueRoute, 'name' | 'department'>): boolean {
  if (!can(seat, 'chat.claim')) return false;
  return seat!.queues.includes(route.name) || can(seat, 'chat.claim', { department: route.department });
}
