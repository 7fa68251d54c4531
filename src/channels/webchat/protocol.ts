import { z } from 'zod';

/**
 * The widget's frames over the WebSocket at `/chat/socket`, JSON text.
 * Widget → desk: `hello` first (who, which queue, the last message id seen),
 * then `send`, and `seen` (the highest id shown to the visitor: tab visible, line in view). Desk → widget: `ready` (the visitor id, and a new anonymous visitor's token), `message` (each with its history id),
 * `ack` (a `send` is stored), `notice` (a limit refused something), `typing` (an agent is
 * writing: shown for a few seconds), `error` (the socket is closed after it).
 */
export const helloFrame = z.object({
  type: z.literal('hello'),
  queue: z.string().regex(/^[\w.-]{1,64}$/).optional(),
  token: z.string().max(128).optional(),
  userId: z.string().min(1).max(256).optional(),
  userHash: z.string().max(128).optional(),
  userName: z.string().max(128).optional(),
  lastSeen: z.number().int().min(0).default(0),
});

export const sendFrame = z.object({
  type: z.literal('send'),
  /** The widget's id for this message, so a resend after a reconnect is recognised. */
  clientId: z.string().regex(/^[\w-]{1,64}$/),
  text: z.string(),
  /** Ids of files uploaded to `/chat/upload` just before (at most 4). */
  files: z.array(z.string().max(64)).max(4).optional(),
});

export const seenFrame = z.object({
  type: z.literal('seen'),
  id: z.number().int().min(1),
});

export type HelloFrame = z.infer<typeof helloFrame>;
export type SendFrame = z.infer<typeof sendFrame>;
export type SeenFrame = z.infer<typeof seenFrame>;

/** Close codes the widget acts on (4000–4999 are the application's own). */
export const CLOSE = {
  /** Nothing from the visitor for the idle time: reconnect on the next keystroke. */
  idle: 4000,
  /** `data-user-hash` does not match `data-user-id`: do not reconnect. */
  identityRefused: 4001,
  /** A frame that is not the protocol. */
  badFrame: 4002,
  /** The desk is stopping: reconnect later. */
  goingAway: 1001,
  /** More was queued for this socket than a slow client takes: reconnect and resume. */
  slowConsumer: 4003,
} as const;

/** Parses one text frame; undefined when it is not JSON of a known type. */
export function parseFrame(data: string): HelloFrame | SendFrame | SeenFrame | { type: 'ping' } | undefined {
  let value: unknown;
  try { value = JSON.parse(data); } catch { return undefined; }
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'ping') return { type: 'ping' };
  const schema = type === 'hello' ? helloFrame : type === 'send' ? sendFrame : type === 'seen' ? seenFrame : undefined;
  const parsed = schema?.safeParse(value);
  return parsed?.success ? parsed.data : undefined;
}
