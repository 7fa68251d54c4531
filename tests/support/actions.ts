import { postToBot, messageEvent, blockActions, nextMessageTs } from '../fakes/slack/index.js';
import { postWebhook, textMessageWebhook, newWamid } from '../fakes/whatsapp/webhooks.js';
import type { DeskHarness } from './start-desk.js';
import { SECRETS } from './start-desk.js';

/** What people do, as the platforms deliver it to the bot. */
export function actions(h: DeskHarness, botUrl = h.app.url) {
  const biz = { phoneNumberId: SECRETS.phoneNumberId, displayPhoneNumber: '15550001111' };
  return {
    /** A customer writes on WhatsApp: a signed webhook, as Meta sends it. */
    async customerWrites(from: string, text: string, o: { name?: string; id?: string; signature?: string | null } = {}) {
      const id = o.id ?? newWamid();
      const body = textMessageWebhook(biz, { from, body: text, id, ...(o.name ? { name: o.name } : {}) });
      h.graph.customerWrote(from, h.clock.now());
      const res = await postWebhook(botUrl, SECRETS.waAppSecret, body, o.signature !== undefined ? { signature: o.signature } : {});
      return { ...res, id };
    },
    /** Someone writes in a Slack thread: a signed Events API delivery. */
    async slackThreadMessage(user: string | undefined, threadTs: string, text: string, o: { eventId?: string; retryNum?: number; botId?: string; ts?: string; signature?: string } = {}) {
      // A person's message exists in Slack before its event arrives (the ✓ reaction needs it).
      const ts = o.ts ?? (user && !o.botId ? h.slack.addUserMessage({ channel: 'C0SUPPORT', user, text, thread_ts: threadTs }).ts : nextMessageTs());
      const req = messageEvent({ channel: 'C0SUPPORT', text, thread_ts: threadTs, ts, ...(user ? { user } : {}), ...(o.botId ? { bot_id: o.botId } : {}), ...(o.eventId ? { event_id: o.eventId } : {}) });
      const res = await postToBot(`${botUrl}/slack/events`, SECRETS.slackSigning, req, { ...(o.retryNum !== undefined ? { retryNum: o.retryNum, retryReason: 'http_timeout' } : {}), ...(o.signature ? { signature: o.signature } : {}) });
      return { ...res, payload: req.payload as { event_id: string; event: { ts: string } } };
    },
    /** Someone presses a header button. */
    async pressButton(user: string, headerTs: string, action: 'claim' | 'release' | 'close' | 'reopen' | 'pick-transfer' | 'pick-escalate', convId: string) {
      const actionId = action.startsWith('pick-') ? `tdpick:${action.slice(5)}` : `td:${action}`;
      const req = blockActions({ user, channel: 'C0SUPPORT', message_ts: headerTs, action_id: actionId, value: convId });
      return postToBot(`${botUrl}/slack/events`, SECRETS.slackSigning, req);
    },
    /** The header message of the conversation whose thread contains `text`. */
    async headerFor(text: string, timeoutMs = 5000) {
      return h.slack.waitFor((s) => {
        const post = s.messages.find((m) => m.thread_ts && m.text.includes(text) && m.bot_id);
        return post ? s.message(post.channel, post.thread_ts!) : undefined;
      }, timeoutMs);
    },
  };
}
