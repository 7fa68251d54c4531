import type { Seats } from './seats.js';

/** Display name of a seat id, for messages and headers; `nobody` for no seat, the id for a removed one. */
export async function nameOf(seats: Pick<Seats, 'get'>, seatId: string | undefined): Promise<string> {
  if (!seatId) return 'nobody';
  return (await seats.get(seatId))?.name ?? seatId;
}
