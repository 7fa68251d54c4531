import type { DriverSession, MessengerDriver } from '../messenger-driver.js';
import { startDesk } from '../start-desk.js';
import { SECRETS } from '../start-desk.js';
import { messageEvent, nextMessageTs, postToBot } from '../../fakes/slack/index.js';

/** Slack: events over signed HTTP to POST /slack/events, the Web API fake records what the bot did. */
export const slackDriver: MessengerDriver = {
  name: 'slack',
  async start(store, o = {}) {
    const h = await startDesk({ store, ...(o.yaml ? { yaml: o.yaml } : {}), slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex' }, U0OTHER: { name: 'sam', real_name: 'Sam' } } } });
    const channel = 'C0SUPPORT';
    const eventsUrl = `${h.app.url}/slack/events`;
    const sent = new Map<string, { body: unknown; ts: string }>();
    const session: DriverSession = {
      h,
      users: { seat: 'U0AGENT', stranger: 'U0OTHER' },
      async threadWith(text, timeoutMs = 5000) {
        const post = await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.bot_id && m.text.split('\n').includes(text)), timeoutMs);
        return post.thread_ts!;
      },
      threadTexts: (thread) => h.slack.threadReplies(channel, thread).filter((m) => m.bot_id).flatMap((m) => m.text.split('\n')),
      headerText: (thread) => JSON.stringify(h.slack.message(channel, thread)?.blocks ?? ''),
      async agentWrites(user, thread, text, o = {}) {
        const previous = o.redeliver && o.deliveryId ? sent.get(o.deliveryId) : undefined;
        if (previous) {
          const res = await postToBot(eventsUrl, SECRETS.slackSigning, JSON.stringify(previous.body), { retryNum: 1, retryReason: 'http_timeout' });
          return { status: res.status, messageId: previous.ts };
        }
        // The person's message exists in Slack before its event arrives (the ✓ reaction needs it).
        const ts = h.slack.addUserMessage({ channel, user, text, thread_ts: thread }).ts;
        const req = messageEvent({ channel, user, text, thread_ts: thread, ts, ...(o.deliveryId ? { event_id: o.deliveryId } : {}) });
        if (o.deliveryId) sent.set(o.deliveryId, { body: req.payload, ts });
        const res = await postToBot(eventsUrl, SECRETS.slackSigning, req);
        return { status: res.status, messageId: ts };
      },
      async botMessageArrives(thread, text, o = {}) {
        const req = o.otherBot
          ? messageEvent({ channel, text, thread_ts: thread, ts: nextMessageTs(), bot_id: 'B0OTHERBOT' })
          : messageEvent({ channel, user: 'U0BOT', text, thread_ts: thread, ts: nextMessageTs(), bot_id: 'B0BOT' });
        await postToBot(eventsUrl, SECRETS.slackSigning, req);
      },
      privateTextsTo: (user) => [...h.slack.ephemerals.filter((e) => e.user === user).map((e) => e.text), ...h.slack.dms.filter((m) => m.channel === `D${user.slice(1)}`).map((m) => m.text)],
      isMarkedDelivered: (_thread, messageId) => h.slack.reactions.some((r) => r.ts === messageId && r.name === 'white_check_mark'),
      async forgedDelivery(thread) {
        const req = messageEvent({ channel, user: 'U0AGENT', text: 'forged', thread_ts: thread, ts: nextMessageTs() });
        return (await postToBot(eventsUrl, SECRETS.slackSigning, req, { signature: `v0=${'f'.repeat(64)}` })).status;
      },
      callCount: () => h.slack.calls.length,
    };
    return session;
  },
};
