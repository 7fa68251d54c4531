import { z } from 'zod';
import type { Update } from '../../../src/handlers/context.js';

/** The events the Echo messenger sends: a message someone wrote in a thread. */
export const echoEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal('message'),
  message: z.object({
    id: z.string().min(1),
    channel: z.string().min(1),
    thread: z.string().min(1),
    user: z.string().min(1),
    bot: z.boolean().optional(),
    text: z.string(),
  }),
});
export type EchoEvent = z.infer<typeof echoEventSchema>;

/** `<@USER>` in a text, as Echo writes mentions. */
const MENTION = /<@([A-Za-z0-9_-]+)>/g;

/**
 * The neutral update of an event, or undefined for what the desk ignores:
 * messages of bots, the desk's own included (no echo loop), and messages
 * outside a conversation thread's channel. Commands typed in a thread
 * (`!claim`) are thread messages: the thread-message handler reads the prefix.
 */
export function echoEventToUpdate(event: EchoEvent, botId: string, channels: ReadonlySet<string>): Update | undefined {
  const m = event.message;
  if (m.bot || m.user === botId || !channels.has(m.channel)) return undefined;
  return {
    kind: 'thread_message',
    actor: { platform: 'echo', userId: m.user },
    // Echo has no workspaces: a channel is its own.
    location: { workspace: m.channel, channel: m.channel, thread: m.thread },
    messageId: m.id,
    text: m.text,
    mentions: [...m.text.matchAll(MENTION)].map((x) => x[1]!),
  };
}
