import { SocketModeClient } from '@slack/socket-mode';
import type { App, Receiver } from '@slack/bolt';
import type { Logger } from '../../runtime/logger.js';
import { checkSlackPayload } from './check-payload.js';
import { slackLoggerFor } from './slack-logger.js';

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
    const logger = slackLoggerFor(log);
    this.client = new SocketModeClient({ appToken, logger, clientOptions: { slackApiUrl: apiUrl } });
    this.client.on('slack_event', (args: { type?: string; body: Record<string, unknown>; ack: (response?: unknown) => Promise<void>; retry_num?: number; retry_reason?: string }) => {
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

  private async handle(args: { type?: string; body: Record<string, unknown>; ack: (response?: unknown) => Promise<void>; retry_num?: number; retry_reason?: string }): Promise<void> {
    try {
      // The same shape check as over HTTP; a payload bolt cannot read is acknowledged (a redelivery would not read better).
      const check = args.body && typeof args.body === 'object' && !Array.isArray(args.body)
        ? checkSlackPayload(args.body, args.type === 'slash_commands')
        : { kind: 'malformed' as const, problems: ['payload: not an object'] };
      if (check.kind !== 'handle') {
        if (check.kind === 'malformed') this.log.warn({ problems: check.problems }, 'socket mode payload of a malformed shape acknowledged and dropped');
        await args.ack();
        return;
      }
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
