import { createReadStream } from 'node:fs';
import type { types, webApi } from '@slack/bolt';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { AdapterContext } from '../messenger-adapter.js';
import type { SlackIdentity } from './identity.js';
type WebClient = webApi.WebClient;

/** What private answers and DMs need from the deliverer's options. */
export type DirectMessageOptions = Pick<AdapterContext, 'desk'> & { identity: SlackIdentity };

/** Private answers (ephemeral, or a DM) and DMs to agents; remembers each person's DM channel. */
export class SlackDirectMessages {
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly client: WebClient, private readonly o: DirectMessageOptions) {}

  /** Ephemeral where the person is; a DM when Slack cannot show it there (not a member of the channel). */
  async ephemeral(user: string, text: string, channel?: string, thread?: string, blocks?: types.KnownBlock[]): Promise<DeliveryOutcome> {
    if (!channel) return this.dm(user, text, undefined, undefined, blocks);
    try {
      await this.client.chat.postEphemeral({ channel, user, text, ...(thread ? { thread_ts: thread } : {}), ...(blocks ? { blocks } : {}) });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'user_not_in_channel' || code === 'channel_not_found') return this.dm(user, text, undefined, undefined, blocks);
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** A link to the conversation's thread: `<workspace url>/archives/<channel>/p<ts without the dot>`. */
  async threadLink(convId: string): Promise<string> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'slack') return '(the thread is not open yet)';
    const { url } = await this.o.identity.get();
    return `<${url.replace(/\/?$/, '/')}archives/${conv.thread.channel}/p${conv.thread.thread.replace('.', '')}|Open the thread>`;
  }

  /** A DM: a file with the text as its comment, or the text with its actions as buttons, or the given blocks (a rendered view). */
  async dm(user: string, text: string, actions?: { id: string; label: string }[], file?: { path: string; name: string }, view?: types.KnownBlock[]): Promise<DeliveryOutcome> {
    let channel = this.dmChannels.get(user);
    if (!channel) {
      const opened = await this.client.conversations.open({ users: user });
      channel = (opened.channel as { id: string }).id;
      this.dmChannels.set(user, channel);
    }
    if (file) {
      // Streamed from disk: an export can be large.
      await this.client.filesUploadV2({ channel_id: channel, file: createReadStream(file.path), filename: file.name, initial_comment: text });
      return { kind: 'delivered', consumed: 1 };
    }
    const blocks: types.KnownBlock[] | undefined = view ?? (actions?.length
      ? [
          { type: 'section', text: { type: 'mrkdwn', text } },
          // A button runs the command its id names (`alerts ack <id>`), as if typed.
          { type: 'actions', elements: actions.map((a, i) => ({ type: 'button', action_id: `tdcmd:${i}`, value: a.id, text: { type: 'plain_text', text: a.label }, style: 'primary' })) },
        ]
      : undefined);
    await this.client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}) });
    return { kind: 'delivered', consumed: 1 };
  }
}
