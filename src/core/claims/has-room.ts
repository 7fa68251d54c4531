import type { Seat } from '../model.js';
import type { Seats } from '../seats.js';

/** Whether a seat can take one more chat (it holds fewer than its maximum). */
export async function hasRoom(seats: Pick<Seats, 'chatsOf'>, seat: Seat): Promise<boolean> {
  return (await seats.chatsOf(seat.id)).length < seat.maxChats;
}
