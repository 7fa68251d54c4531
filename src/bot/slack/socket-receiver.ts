import { SocketModeClient } from '@slack/socket-mode';
import type { App, Receiver } from '@slack/bolt';
import type { Logger } from '../../runtime/logger.js';

/**
 * Socket Mode as bolt's transport seam. Unlike bolt's own SocketModeReceiver
 * (which acks an Events API envelope before the listeners run), the envelope
 * is acknowledged only after `processEvent` finished, so every effect is in the
 * outbox first; a failure leaves it unacknowledged and Slack redelivers it
 * (with `retry_attempt`), which the listeners deduplicate.
 */
export class SlackSocketReceiver implements Receiver {
  private app: App | undefined;
  private readonly client: SocketModeClient;

  constructor(appToken: string, apiUrl: string, private readonly log: Logger, private readonly ready: () => Promise<unknown>) {
    this.client = new SocketModeClient({ appToken, clientOptions: { slackApiUrl: apiUrl } });
    this.client.on('slack_event', (args: { body: Record<string, unknown>; ack: (response?: unknown) => Promise<void>; retry_num?: number; retry_reason?: string }) => {
      void this.handle(args);
    });
  }

  init(app: App): void { this.app = app; }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  private async handle(args: { body: Record<string, unknown>; ack: (response?: unknown) => Promise<void>; retry_num?: number; retry_reason?: string }): Promise<void> {
    try {
      await this.ready();
      let response: unknown;
      await this.app!.processEvent({
        body: args.body,
        ack: async (r?: unknown) => { response = r; },
        ...(args.retry_num !== undefined ? { retryNum: args.retry_num } : {}),
        ...(args.retry_reason ? { retryReason: args.retry_reason } : {}),
      });
      await args.ack(response);
    } catch (err) {
      this.log.warn({ err: String(err) }, 'socket mode envelope not processed; leaving it unacknowledged so Slack redelivers it');
    }
  }
}
