import type { ChannelTraits } from '../core/channel-traits.js';
import type { RegisteredChannel } from '../channels/channel-module.js';
import type { RegisteredMessenger } from '../bot/messenger-module.js';

/**
 * The messengers and customer channels this build knows, in order of
 * preference (the first configured messenger takes queues that name none).
 * The default is `src/modules.ts`; tests register more (an "echo" messenger).
 */
export interface Registry {
  readonly messengers: readonly RegisteredMessenger[];
  readonly channels: readonly RegisteredChannel[];
}

/** Every send budget the registered modules declare, by destination class. */
export function budgetsOf(registry: Registry): Record<string, RegisteredMessenger['budgets'][string]> {
  return Object.assign({}, ...[...registry.messengers, ...registry.channels].map((m) => m.budgets));
}

/** What the core knows of each registered channel: its label, reply window and file limits. */
export function channelTraitsOf(registry: Registry): ChannelTraits {
  return Object.fromEntries(registry.channels.map((c) => [c.id, {
    label: c.label,
    ...(c.labelWithAccount ? { labelWithAccount: true } : {}),
    ...(c.replyWindowMs !== undefined ? { replyWindowMs: c.replyWindowMs } : {}),
    ...(c.changesReplies ? { changesReplies: true } : {}),
    ...(c.fileLimits ? { fileLimits: c.fileLimits } : {}),
  }]));
}
