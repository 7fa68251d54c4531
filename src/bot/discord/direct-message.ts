import { readFile, stat } from 'node:fs/promises';
import { ButtonStyle, ComponentType, RESTJSONErrorCodes, Routes, type REST, type RawFile } from 'discord.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { hasCode } from './classify-error.js';
import { UPLOAD_LIMIT } from './post-attachments.js';
import { NO_MENTIONS } from './render.js';
import type { DiscordSender } from './send-text.js';
import type { ThreadRegistry } from './thread-registry.js';

/** What a DM carries besides its text. */
export interface DmExtras { text: string; files?: RawFile[]; components?: unknown[] }

/** What private answers and DMs need from the deliverer's options. */
export type DirectMessageOptions = Pick<AdapterContext, 'desk'> & { rest: REST; registry: ThreadRegistry };

/** Private answers and DMs to agents, through DM channels the registry remembers. */
export class DiscordDirectMessages {
  constructor(private readonly o: DirectMessageOptions, private readonly send: DiscordSender) {}

  /**
   * Discord has no ephemeral messages outside an interaction: a private word
   * after a thread message is a DM. Someone who refuses DMs from server
   * members is named in the (agents-only) thread instead.
   */
  async tellPrivately(user: string, text: string, itemId: string, thread: string | undefined): Promise<DeliveryOutcome> {
    if (await this.o.registry.dmClosed(user)) {
      if (!thread) return { kind: 'failed', consumed: 1, reason: `user ${user} does not accept DMs` };
      return this.send.postText(thread, `<@${user}> ${text}`, itemId, 1, { users: [user] });
    }
    return this.dm(user, text, itemId, thread);
  }

  /** One call per attempt: open the DM channel, or post in it. */
  async dm(user: string, text: string, itemId: string, thread?: string, extras: DmExtras = { text: '' }): Promise<DeliveryOutcome> {
    const { registry, rest } = this.o;
    const channel = await registry.dmChannel(user);
    if (!channel) {
      const opened = (await rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as { id: string };
      await registry.setDmChannel(user, opened.id);
      return { kind: 'progress' };
    }
    try {
      return await this.send.postText(channel, `${text}${extras.text}`, itemId, 1, NO_MENTIONS, extras.files, extras.components);
    } catch (err) {
      if (hasCode(err, RESTJSONErrorCodes.CannotSendMessagesToThisUser) || hasCode(err, RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds)) {
        await registry.markDmClosed(user);
        return thread ? { kind: 'progress' } : { kind: 'failed', consumed: 1, reason: `user ${user} does not accept DMs` };
      }
      if (hasCode(err, RESTJSONErrorCodes.UnknownChannel)) {
        await registry.setDmChannel(user, undefined);
        return { kind: 'progress' };
      }
      throw err;
    }
  }

  /** A DM's link to a conversation's thread, its buttons (`tdcmd:<command>`, run as if typed) and its file. */
  async extras(p: Extract<OutboxItem['payload'], { op: 'dm' }>): Promise<DmExtras> {
    let text = '';
    const conv = p.convId ? await this.o.desk.conversations.get(p.convId) : undefined;
    if (conv?.thread?.platform === 'discord') text += `\nhttps://discord.com/channels/${conv.thread.workspace}/${conv.thread.thread}`;
    const buttons = (p.actions ?? []).slice(0, 5).filter((a) => `tdcmd:${a.id}`.length <= 100);
    for (const a of p.actions ?? []) if (!buttons.includes(a)) text += `\n${a.fallback}`;
    const components = buttons.length
      ? [{ type: ComponentType.ActionRow, components: buttons.map((a) => ({ type: ComponentType.Button, style: ButtonStyle.Primary, label: a.label.slice(0, 80), custom_id: `tdcmd:${a.id}` })) }]
      : undefined;
    let files: RawFile[] | undefined;
    if (p.file) {
      const size = (await stat(p.file.path).catch(() => undefined))?.size;
      if (size !== undefined && size <= UPLOAD_LIMIT) files = [{ name: p.file.name, data: await readFile(p.file.path) }];
      else text += `\n📎 ${p.file.name} is ${size === undefined ? 'no longer on the server' : `${(size / 1024 / 1024).toFixed(1)} MB, over Discord's upload limit`}; ask whoever runs the bot for it.`;
    }
    return { text, ...(files ? { files } : {}), ...(components ? { components } : {}) };
  }
}
