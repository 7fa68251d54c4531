import { Routes, type REST, type RawFile } from 'discord.js';
import { splitText } from '../../core/outbox/coalesce.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { PartProgress } from '../kit/part-progress.js';
import { messageNonce } from './nonce.js';
import { DISCORD_TEXT_LIMIT, NO_MENTIONS } from './render.js';

/** Who a post may ping: nobody, or the users named. */
export type Mentions = { users: string[] } | typeof NO_MENTIONS;

/** The deliverer's message posts: long texts in parts counted in the store, each part with its nonce. */
export class DiscordSender {
  constructor(private readonly rest: REST, private readonly progress: PartProgress) {}

  /** A text in parts of at most 2,000 characters, one part per attempt; files and buttons go with the last part. */
  async postText(channel: string, text: string, itemId: string, consumed: number, mentions: Mentions = NO_MENTIONS, files?: RawFile[], components?: unknown[]): Promise<DeliveryOutcome> {
    const parts = text ? splitText(text, DISCORD_TEXT_LIMIT) : [''];
    const done = await this.progress.step(itemId, parts.length, async (sent, last) => {
      await this.rest.post(Routes.channelMessages(channel), {
        body: { content: parts[sent], allowed_mentions: mentions, ...(last && components?.length ? { components } : {}), ...messageNonce(itemId, sent) },
        ...(last && files?.length ? { files } : {}),
      });
    });
    if (!done) return { kind: 'progress' };
    return { kind: 'delivered', consumed };
  }
}
