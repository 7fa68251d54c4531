import { messageEvent, signSlackRequest, type SlackFake } from '../../tests/fakes/slack/index.js';
import { postKeptAlive } from '../support/post-kept-alive.js';
import { SECRETS } from '../../tests/support/start-desk.js';

/** The channel every bench conversation's thread is in (SLACK_CHANNEL). */
export const CHANNEL = 'C0SUPPORT';

/** One agent reply as the bench delivered it. */
export interface SentReply {
  text: string;
  /** `Date.now()` just before the POST left the client. */
  sentAt: number;
  /** `Date.now()` when the bot's response headers arrived (the event was accepted, or refused). */
  answeredAt: number;
  status: number;
}

/**
 * An agent's message in a conversation's thread, as Slack delivers it: the
 * message exists in the (fake) workspace first, because the bot marks a sent
 * reply ✓ with reactions.add on it; then its `message` event goes to
 * `POST /slack/events`, signed (`x-slack-signature` over
 * `v0:<timestamp>:<body>`, `x-slack-request-timestamp`). Timed to the response
 * headers, like sendCustomerMessage.
 */
export async function sendAgentReply(botUrl: string, slack: SlackFake, r: { user: string; thread: string; text: string }): Promise<SentReply> {
  const ts = slack.addUserMessage({ channel: CHANNEL, user: r.user, text: r.text, thread_ts: r.thread }).ts;
  const req = messageEvent({ channel: CHANNEL, user: r.user, text: r.text, thread_ts: r.thread, ts });
  const headers = { 'content-type': req.contentType, ...signSlackRequest(SECRETS.slackSigning, req.body) };
  const sentAt = Date.now();
  const { status, answeredAt } = await postKeptAlive(`${botUrl}/slack/events`, headers, req.body);
  return { text: r.text, sentAt, answeredAt, status };
}
