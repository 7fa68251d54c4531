import { z } from 'zod';
import type { Actor } from '../../core/model.js';
import type { ThreadRef } from '../../core/model.js';
import type { Update } from '../../handlers/context.js';
import { SANDBOX } from './names.js';

/** The page's own id for one press or one message, so a repeated request (a retry after a network error) counts once. */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _');

/** A header button pressed on the page. */
export const actionSchema = z.object({
  id: requestId,
  convId: z.string().min(1).max(128),
  action: z.enum(['claim', 'release', 'close', 'reopen']),
});

/** A message written in a thread's reply box. */
export const replySchema = z.object({
  id: requestId,
  thread: z.string().min(1).max(256),
  text: z.string().trim().min(1, 'write something first').max(40_000, 'at most 40,000 characters'),
});

/** A slash command typed in the channel's command line (`/queue`, `/stats today`, `/help`). */
export const commandSchema = z.object({
  id: requestId,
  text: z.string().trim().regex(/^\/[\w-]{1,32}(\s[\s\S]*)?$/, 'a command such as /queue or /help').max(4_000),
});

/** A thread's place, as the other messengers give it with their events. */
const placeOf = (t: Pick<ThreadRef, 'workspace' | 'channel' | 'thread'>) => ({ workspace: t.workspace, channel: t.channel, thread: t.thread });

export function actionUpdate(actor: Actor, a: z.infer<typeof actionSchema>, thread: ThreadRef): Update {
  return { kind: 'action', actor, location: placeOf(thread), name: a.action, convId: a.convId };
}

/**
 * The agent's message in a thread: a reply to the customer when they hold the
 * claim, else internal, as on every messenger (`//` notes, `!claim` commands).
 * The page has one person, so there are no mentions.
 */
export function replyUpdate(actor: Actor, thread: Pick<ThreadRef, 'workspace' | 'channel' | 'thread'>, messageId: string, text: string): Update {
  return { kind: 'thread_message', actor, location: placeOf(thread), messageId, text, mentions: [] };
}

/** A command typed in the channel, outside any thread. */
export function commandUpdate(actor: Actor, channel: string, text: string): Update {
  const [, name = '', args = ''] = /^\/([\w-]+)\s*([\s\S]*)$/.exec(text) ?? [];
  return { kind: 'command', actor, location: { workspace: channel, channel }, name, args: args.trim(), mentions: [] };
}

/** The page's one person: the agent seat `sandbox:<agent>`. */
export function agentActor(agent: string): Actor {
  return { platform: SANDBOX, userId: agent };
}
