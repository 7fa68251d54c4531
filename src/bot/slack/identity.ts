import type { webApi } from '@slack/bolt';
type WebClient = webApi.WebClient;

export interface SlackIdentityInfo { teamId: string; botUserId: string; botId: string; /** The workspace URL, e.g. https://acme.slack.com/ */ url: string }

/**
 * Who the bot is in Slack (`auth.test`), fetched once and kept. A failed call
 * is not cached: the next request tries again (bolt's own cache would keep a
 * rejected promise forever when Slack was unreachable at start).
 */
export class SlackIdentity {
  private known: SlackIdentityInfo | undefined;
  private pending: Promise<SlackIdentityInfo> | undefined;

  constructor(private readonly client: WebClient) {}

  get(): Promise<SlackIdentityInfo> {
    if (this.known) return Promise.resolve(this.known);
    this.pending ??= this.client.auth.test().then(
      (r) => {
        this.known = { teamId: r.team_id as string, botUserId: r.user_id as string, botId: r.bot_id as string, url: (r.url as string | undefined) ?? 'https://slack.com/' };
        return this.known;
      },
      (err: unknown) => { this.pending = undefined; throw err; },
    );
    return this.pending;
  }
}
