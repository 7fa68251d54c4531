import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import { App, webApi, type types } from '@slack/bolt';
import { dispatch, prefetchContext, runUpdate } from '../../handlers/dispatch.js';
import type { Route } from '../../http/types.js';
import { slackLoggerFor } from './slack-logger.js';
import { slackClientOptions } from './client-options.js';
import { downloadSharedFile } from './download-shared-file.js';
import { slackAgentFiles } from './fetch-agent-file.js';
import { SlackDeliverer } from './deliver.js';
import { slackWebApiCall } from './web-api-call.js';
import type { AdapterContext, MessengerAdapter } from '../messenger-adapter.js';
import { SlackIdentity } from './identity.js';
import { SlackHttpReceiver } from './receiver.js';
import { SlackSocketReceiver } from './socket-receiver.js';
import { buttonToUpdate, changeToUpdate, commandButtonToUpdate, messageToCommand, messageToUpdate, pickerToUpdate, slashCommandToUpdate, type SlackMessageEvent } from './to-update.js';
import { renderPicker, type PickerMetadata } from './render.js';
import { BLOCK_LIMIT, renderView, textSection } from './render-view.js';
import { respondPrivately } from './respond-privately.js';
import { RunAfterAck } from './run-after-ack.js';
import { isLongCommand } from '../../handlers/handle-command.js';
import { DeliveryInFlightError } from '../../runtime/retry-with-backoff.js';
import { cachedPing } from '../kit/cached-ping.js';
import { processOnce } from '../process-once.js';

/** At shutdown, long commands still running (an export) get this long to finish. */
const LONG_COMMAND_STOP_WAIT_MS = 10_000;

export interface SlackAdapterOptions extends AdapterContext {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string;
}

/**
 * Slack for the desk: bolt over HTTP (`POST /slack/events` on the bot's
 * server) or Socket Mode (when an app token is set), every payload turned into
 * a neutral update and handed to `dispatch`; Web API calls (at `apiUrl`) come
 * from the outbox through `SlackDeliverer`.
 */
export function createSlackAdapter(o: SlackAdapterOptions): MessengerAdapter {
  const log = o.log.child({ messenger: 'slack' });
  // The SDK's own lines as JSON through pino, like every other line.
  const clientOptions = { ...slackClientOptions(o.apiUrl), logger: slackLoggerFor(log) };
  const socketMode = Boolean(o.appToken);
  // Our own client for the outbox and auth.test; bolt gets the same token through `authorize`.
  const client = new webApi.WebClient(o.botToken, clientOptions);
  const identity = new SlackIdentity(client);
  const receiver = socketMode ? undefined : new SlackHttpReceiver(o.signingSecret!, log, () => identity.get());
  const socket = socketMode ? new SlackSocketReceiver(o.appToken!, o.apiUrl, log, () => identity.get()) : undefined;
  const app = new App({
    receiver: (receiver ?? socket)!,
    clientOptions,
    logger: clientOptions.logger,
    // Identity comes from our own cached auth.test (see identity.ts).
    authorize: async () => {
      const id = await identity.get();
      return { botToken: o.botToken, botId: id.botId, botUserId: id.botUserId, teamId: id.teamId };
    },
  });
  const { desk } = o;
  const afterAck = new RunAfterAck(log);

  const processed = processOnce(o.dedupe, 'slack');
  /**
   * Processes a delivery once, however often Slack sends it. A retry while an
   * earlier attempt is still marked in flight is answered 503, never 200: that
   * attempt's process may have been killed a moment ago (it counts as alive
   * for up to 3 s on Redis), and a 200 would lose the delivery. Slack's next
   * retry (1 and 5 minutes later) finds it done.
   */
  const once = async (key: string, run: () => Promise<void>) => {
    if ((await processed(key, run)) === 'duplicate') log.debug({ key, state: 'duplicate' }, 'slack retry ignored');
  };

  app.event('message', async ({ event, body }) => {
    const id = await identity.get();
    const team = (body as { team_id?: string }).team_id ?? id.teamId;
    const e: SlackMessageEvent = event;
    const update = messageToUpdate(e, team, id.botUserId) ?? changeToUpdate(e, team, id.botUserId) ?? messageToCommand(e, team, id.botUserId, desk.settings.rules, (url) => downloadSharedFile(url, o.botToken));
    if (!update) return;
    const ctx = prefetchContext(desk, update);
    await once(`event:${(body as { event_id?: string }).event_id ?? `${e.channel}:${e.ts}`}`, async () => runUpdate(await ctx, update));
  });

  app.action(/^td:/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string; name?: string }; channel?: { id: string }; team?: { id: string }; message?: { ts: string; thread_ts?: string } };
    const a = action as { action_id: string; value?: string; action_ts?: string; selected_option?: { value?: string } };
    const update = buttonToUpdate(b, a);
    if (!update) return;
    await once(`action:${b.user.id}:${a.action_ts ?? a.action_id}`, () => dispatch(desk, update));
  });

  app.action(/^tdcmd:/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string; name?: string }; team?: { id: string }; channel?: { id: string } };
    const line = ((action as { value?: string }).value ?? '').trim();
    const update = commandButtonToUpdate(b, line);
    if (!update) return;
    await once(`cmd:${b.user.id}:${(action as { action_ts?: string }).action_ts ?? line}`, () => dispatch(desk, update));
  });

  /** The language of what only this Slack user reads: their seat's, else the desk's (Slack sends no locale without users.info). */
  async function languageOf(userId: string): Promise<string> {
    return readerLanguage(desk.settings, await desk.seats.ofActor({ platform: 'slack', userId }));
  }

  app.action(/^tdpick:/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { trigger_id: string; user: { id: string }; channel?: { id: string }; message?: { ts: string } };
    const a = action as { action_id: string; value?: string };
    const kind = a.action_id === 'tdpick:transfer' ? 'transfer' : 'escalate';
    if (!a.value || !b.channel || !b.message || !b.trigger_id || !b.user?.id) return;
    const lang = await languageOf(b.user.id);
    try {
      // Directly, not through the outbox: a trigger_id is valid for 3 seconds only.
      await client.views.open({ trigger_id: b.trigger_id, view: renderPicker(kind, { convId: a.value, channel: b.channel.id, thread: b.message.ts }, lang) });
    } catch (err) {
      log.warn({ err: String(err) }, 'could not open the person picker');
      await desk.tellPrivately('slack', b.user.id, t(lang, 'slack.picker_failed', { error: (err as { data?: { error?: string } }).data?.error ?? 'no', kind }), { channel: b.channel.id, thread: b.message.ts });
    }
  });

  app.view(/^td:(transfer|escalate)$/, async ({ ack, body, view }) => {
    const kind = view.callback_id === 'td:transfer' ? 'transfer' : 'escalate';
    if (!body.user?.id) return;
    const who = view.state?.values?.who?.who as { selected_user?: string; selected_users?: string[] } | undefined;
    const people = who?.selected_users ?? (who?.selected_user ? [who.selected_user] : []);
    if (kind === 'escalate' && people.length > 2) {
      await ack({ response_action: 'errors', errors: { who: t(await languageOf(body.user.id), 'slack.at_most_two') } });
      return;
    }
    await ack();
    let meta: PickerMetadata;
    try { meta = JSON.parse(view.private_metadata) as PickerMetadata; } catch { return; }
    // Our own picker wrote it; anything else in a signed submission is not ours to act on.
    if (!meta || typeof meta.channel !== 'string' || typeof meta.thread !== 'string' || typeof meta.convId !== 'string') return;
    const reason = (view.state?.values?.reason?.text as { value?: string | null } | undefined)?.value ?? '';
    const update = pickerToUpdate(kind, body.user.id, body.team?.id, meta, people, reason);
    await once(`view:${view.id}:${body.user.id}`, () => dispatch(desk, update));
  });

  app.command(/^\/.+/, async ({ ack, command, respond }) => {
    const said: string[] = [];
    const update = slashCommandToUpdate(command);
    if (isLongCommand(update.name)) {
      // Slack wants the answer within 3 s: acknowledge now, let the command speak through response_url.
      await ack();
      const tell = respondPrivately(respond, (text) => desk.tellPrivately('slack', command.user_id, text, { channel: command.channel_id }), log);
      afterAck.start(`/${update.name}`, () => once(`command:${command.trigger_id}`, () => dispatch(desk, update, { replyPrivately: tell })), tell);
      return;
    }
    // Slash commands answer privately in the command's own response (Slack shows it only to the caller).
    // With a view shown, Slack displays the blocks instead of `text`: texts said beside it become sections too, in order.
    const blocks: types.KnownBlock[] = [];
    let viewShown = false;
    await once(`command:${command.trigger_id}`, () => dispatch(desk, update, {
      replyPrivately: async (text) => { said.push(text); blocks.push(textSection(text)); },
      showPrivately: async (view) => {
        const rendered = renderView(view);
        said.push(rendered.text);
        blocks.push(...rendered.blocks);
        viewShown = true;
      },
    }));
    await ack(said.length ? { response_type: 'ephemeral', text: said.join('\n'), ...(viewShown ? { blocks: blocks.slice(0, BLOCK_LIMIT) } : {}) } : undefined);
  });

  app.error(async (err) => {
    if (err instanceof DeliveryInFlightError) log.info({ err: err.message }, 'slack retry of a delivery still in flight; asking Slack to retry later');
    else log.error({ err: String(err), code: (err as { code?: string }).code }, 'slack handler failed');
    // Rethrown so the HTTP receiver answers 500 and Slack retries (the delivery was not marked done).
    throw err;
  });

  // The outbox's posts go straight to the Web API (web-api-call.ts), with the client's token, URL, transport and errors.
  const call = slackWebApiCall(o.botToken, o.apiUrl, log);
  const deliverer = new SlackDeliverer(client, { desk, identity, log, fetchMedia: o.fetchMedia, instanceId: o.instanceId, state: o.state, clock: o.clock, call });
  const routes: Route[] = receiver
    ? [{ method: 'POST', path: '/slack/events', handler: (req) => receiver.handle(req) }]
    : [];

  return {
    platform: 'slack',
    routes,
    deliverer,
    async start() {
      identity.get().catch((err: unknown) => log.warn({ err: String(err) }, 'Slack auth.test failed at start; will retry on the next event. Check SLACK_BOT_TOKEN and SLACK_API_URL.'));
      if (socket) await app.start();
    },
    async stop() {
      if (socket) await app.stop();
      const unfinished = await afterAck.settle(LONG_COMMAND_STOP_WAIT_MS);
      if (unfinished) log.warn({ unfinished }, 'long slash commands were still running at shutdown and are cut short; whoever ran them must run them again');
    },
    // A fresh auth.test at most every 15 s: readiness must notice Slack going away.
    ping: cachedPing(() => client.auth.test()),
    fetchAgentFile: slackAgentFiles(o.botToken, o.apiUrl),
  };
}
