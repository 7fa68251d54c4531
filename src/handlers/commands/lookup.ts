import type { Seat } from '../../core/model.js';
import type { HandlerContext } from '../context.js';

/** The seat of a user mentioned on the actor's messenger. */
export function seatOfMention(ctx: HandlerContext, userId: string): Promise<Seat | undefined> {
  return ctx.desk.seats.ofActor({ platform: ctx.actor.platform, userId });
}

/** Who acted, for the audit log: the seat, or the messenger user when there is none. */
export function actorKey(ctx: HandlerContext): string {
  return ctx.seat?.id ?? `${ctx.actor.platform}:${ctx.actor.userId}`;
}
