import type { webApi } from '@slack/bolt';
import { IdentityCache } from '../kit/identity-cache.js';
type WebClient = webApi.WebClient;

export interface SlackIdentityInfo { teamId: string; botUserId: string; botId: string; /** The workspace URL, e.g. https://acme.slack.com/ */ url: string }

/** Who the bot is in Slack (`auth.test`), fetched once and kept (bolt's own cache would keep a failure forever). */
export class SlackIdentity extends IdentityCache<SlackIdentityInfo> {
  constructor(client: WebClient) {
    super(async () => {
      const r = await client.auth.test();
      return { teamId: r.team_id as string, botUserId: r.user_id as string, botId: r.bot_id as string, url: (r.url as string | undefined) ?? 'https://slack.com/' };
    });
  }
}
