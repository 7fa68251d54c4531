import { randomBytes } from 'node:crypto';
import { InteractionResponseType, MessageFlags, Routes, type REST } from 'discord.js';
import type { Logger } from '../../runtime/logger.js';
import { DISCORD_TEXT_LIMIT, NO_MENTIONS, describeFault } from './render.js';
import type { PrivateView } from '../../core/overview/private-view.js';
import { renderView, type RenderedView } from './render-view.js';

/**
 * Discord invalidates an interaction that gets no answer within 3 s
 * (platform-facts.md §5). Work that is not done after this long is deferred
 * (the agent sees "thinking…") and answered by editing the reply later.
 */
export const DEFER_AFTER_MS = 2000;

export interface AnswerOptions {
  rest: REST;
  applicationId: string;
  log: Logger;
  interaction: { id: string; token: string };
  /** A slash command gets an ephemeral reply; a button may just be acknowledged (the header changes). */
  kind: 'command' | 'component';
  /**
   * Does the work; `privately` collects what only the actor sees, `show` a
   * rich view (embeds and buttons) for it. Returns a confirmation for a command.
   */
  work(privately: (text: string) => Promise<void>, show: (view: PrivateView) => Promise<void>): Promise<string | undefined>;
  deferAfterMs?: number;
  /** The language of the fault text, when the work throws (the person's). */
  lang?: string;
}

/**
 * Answers one interaction, always, within the deadline: what the handlers
 * said privately becomes an ephemeral reply (flags 64); a fault becomes an
 * ephemeral message with a reference that is also in the log, never
 * Discord's "This interaction failed".
 */
export async function answerInteraction(o: AnswerOptions): Promise<void> {
  const { rest, interaction, log } = o;
  const callback = (body: unknown) => rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body, auth: false, query: new URLSearchParams({ with_response: 'false' }),
  });
  let state: 'working' | 'deferred' | 'answered' = 'working';
  let deferring: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    if (state !== 'working') return;
    state = 'deferred';
    deferring = callback(o.kind === 'command'
      ? { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } }
      : { type: InteractionResponseType.DeferredMessageUpdate })
      .catch((err: unknown) => log.warn({ err: String(err), interaction: interaction.id }, 'could not defer a discord interaction'));
  }, o.deferAfterMs ?? DEFER_AFTER_MS);

  const said: string[] = [];
  const shown: RenderedView = { embeds: [], components: [] };
  let texts: string[];
  try {
    const confirmation = await o.work(async (text) => { said.push(text); }, async (view) => {
      const rendered = renderView(view);
      shown.embeds.push(...rendered.embeds);
      shown.components.push(...rendered.components);
    });
    // A view shown is the answer: the confirmation is left out beside it.
    texts = said.length ? said : confirmation && !shown.embeds.length ? [confirmation] : [];
  } catch (err) {
    const ref = randomBytes(3).toString('hex');
    log.error({ ref, err: String(err), interaction: interaction.id }, 'discord interaction failed');
    texts = [describeFault(ref, o.lang)];
  } finally {
    clearTimeout(timer);
  }
  const content = texts.join('\n').slice(0, DISCORD_TEXT_LIMIT);
  // Discord allows 10 embeds and 5 rows per message.
  const view = shown.embeds.length ? { embeds: shown.embeds.slice(0, 10), components: shown.components.slice(0, 5) } : {};
  const answered = Boolean(content || shown.embeds.length);
  try {
    if (state === 'working') {
      state = 'answered';
      await callback(answered
        ? { type: InteractionResponseType.ChannelMessageWithSource, data: { content, ...view, flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS } }
        : { type: InteractionResponseType.DeferredMessageUpdate });
      return;
    }
    await deferring;
    if (o.kind === 'command') {
      await rest.patch(Routes.webhookMessage(o.applicationId, interaction.token, '@original'), { body: { content: content || (shown.embeds.length ? '' : 'Done.'), ...view, allowed_mentions: NO_MENTIONS }, auth: false });
    } else if (answered) {
      await rest.post(Routes.webhook(o.applicationId, interaction.token), { body: { content, ...view, flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS }, auth: false });
    }
  } catch (err) {
    log.warn({ err: String(err), interaction: interaction.id }, 'could not answer a discord interaction');
  }
}
