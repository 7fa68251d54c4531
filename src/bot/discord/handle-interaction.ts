import type { REST } from 'discord.js';
import type { ContextVerbs, Update } from '../../handlers/context.js';
import { dispatch } from '../../handlers/dispatch.js';
import type { PrivateView } from '../../core/overview/private-view.js';
import { isLongCommand } from '../../handlers/handle-command.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { answerInteraction } from './interactions.js';
import { describeOptionProblem } from './render.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import { t } from '../../i18n/format.js';
import type { ThreadRegistry } from './thread-registry.js';
import { commandButtonToUpdate, commandCallToUpdate, headerButtonToUpdate, interactionActor, interactionSchema, parseCustomId, type DiscordInteraction } from './to-update.js';
import { validateCommand, type RawOption } from './validate-options.js';

/** What the interaction handler needs: the desk, the adapter's REST client and thread registry, and whose bot it is. */
export type InteractionHandlerOptions = Pick<AdapterContext, 'desk' | 'dedupe' | 'log'> & { rest: REST; registry: ThreadRegistry; guildId: string; applicationId: string };

/**
 * The entry of slash commands and buttons (`INTERACTION_CREATE`): each one
 * is answered once, by whichever replica takes it first; what the handlers
 * say goes back as the interaction's (private) answer.
 */
export function createInteractionHandler(o: InteractionHandlerOptions): (raw: unknown) => Promise<void> {
  const { desk, dedupe, log, registry } = o;

  async function handleInteraction(raw: unknown): Promise<void> {
    const parsed = interactionSchema.safeParse(raw);
    if (!parsed.success) { log.warn({ issues: parsed.error.issues.length }, 'discord interaction of an unknown shape ignored'); return; }
    const i = parsed.data;
    if (i.application_id !== o.applicationId) { log.warn({ application: i.application_id }, 'interaction for another application ignored'); return; }
    const actor = interactionActor(i);
    if (!actor || (i.type !== 2 && i.type !== 3)) return;
    if ((await dedupe.begin('discord', `interaction:${i.id}`)) !== 'new') return; // answered by whoever took it first
    // What only this person reads: their seat's language, else their Discord client's (`locale`), else the desk's.
    const lang = readerLanguage(desk.settings, await desk.seats.ofActor(actor), actor);
    await answerInteraction({
      lang,
      rest: o.rest, applicationId: o.applicationId, log, interaction: i, kind: i.type === 2 ? 'command' : 'component',
      // A long command (an export) is deferred at once; what it says comes as the deferred reply's follow-up.
      ...(i.type === 2 && isLongCommand(i.data?.name ?? '') ? { deferAfterMs: 0 } : {}),
      work: async (privately, show) => {
        try {
          // Another server where the bot also is: not this desk. DMs (alert buttons) have no guild.
          const said = i.guild_id && i.guild_id !== o.guildId
            ? (await privately(t(lang, 'discord.other_server')), undefined)
            : i.type === 2 ? await runCommand(i, actor, lang, privately, show) : await pressButton(i, actor, lang, privately);
          await dedupe.commit('discord', `interaction:${i.id}`);
          return said;
        } catch (err) {
          await dedupe.abort('discord', `interaction:${i.id}`);
          throw err;
        }
      },
    });
  }

  /** Where an interaction happened: the thread and its parent channel, or a channel. */
  async function locationOf(i: DiscordInteraction): Promise<Update['location']> {
    const channel = i.channel_id ?? i.channel?.id ?? '';
    const parent = i.channel?.parent_id ?? (await registry.parentOf(channel));
    return parent ? { workspace: o.guildId, channel: parent, thread: channel } : { workspace: o.guildId, channel };
  }

  async function runCommand(i: DiscordInteraction, actor: Update['actor'], lang: string, privately: (t: string) => Promise<void>, show: (view: PrivateView) => Promise<void>): Promise<string | undefined> {
    const checked = validateCommand(i.data?.name ?? '', i.data?.options as RawOption[] | undefined, i.data?.resolved);
    if (!checked.ok) { await privately(describeOptionProblem(checked.problem, lang)); return undefined; }
    const { call } = checked;
    const location = await locationOf(i);
    const conv = location.thread ? await desk.conversations.byThread('discord', o.guildId, location.channel, location.thread) : undefined;
    // Outside a conversation, anything the command says goes to the caller only.
    const verbs: ContextVerbs = conv ? { replyPrivately: privately, showPrivately: show } : { replyPrivately: privately, reply: privately, showPrivately: show };
    const files = call.attachments.map((a) => ({ name: a.name, read: () => download(a.url) }));
    await dispatch(desk, commandCallToUpdate(call, actor, location, files), verbs);
    return t(lang, 'discord.done', { command: call.label });
  }

  async function pressButton(i: DiscordInteraction, actor: Update['actor'], lang: string, privately: (t: string) => Promise<void>): Promise<undefined> {
    const button = parseCustomId(i.data?.custom_id);
    if (button?.kind === 'command') {
      await dispatch(desk, commandButtonToUpdate(button, actor, await locationOf(i)), { replyPrivately: privately, reply: privately });
      return undefined;
    }
    const update = button && headerButtonToUpdate(button, actor, o.guildId, i);
    if (!update) { await privately(t(lang, 'discord.unknown_button')); return undefined; }
    await dispatch(desk, update, { replyPrivately: privately });
    return undefined;
  }

  return handleInteraction;
}

/** A file attached to a command (a CSV for `/seat import`), from Discord's CDN. */
async function download(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`attachment download failed with HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > 1024 * 1024) throw new Error('attachment over 1 MiB');
  return bytes;
}
