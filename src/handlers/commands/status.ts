import { fail, ok } from '../../core/result.js';
import type { Presence } from '../../core/model.js';
import { SeatAdmin } from '../../core/seat-admin.js';
import type { Command } from './types.js';
import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';

const PRESENCES: readonly Presence[] = ['online', 'away', 'paused'];

/** `/status online|away|paused`: one's own presence. */
export const statusCommand: Command = {
  name: 'status',
  usage: 'status online|away|paused',
  description: 'Whether you get new conversations',
  options: [{ name: 'state', description: 'online, away or paused (keep your chats, get no new ones)', type: 'string', required: true, choices: PRESENCES }],
  example: '/status state:online',
  requires: { seat: true, enabled: true },
  async run(ctx, { args }) {
    const presence = args.words[0]?.toLowerCase() as Presence | undefined;
    if (!presence || !PRESENCES.includes(presence)) return fail('bad_arguments', { usage: 'usage.status', example: '/status paused' });
    const result = await new SeatAdmin(ctx.desk).setPresence(ctx.seat, presence);
    if (!result.ok) return result;
    const lang = readerLanguage(ctx.desk.settings, result.value);
    await ctx.replyPrivately(t(lang, 'reply.status', { presence: t(lang, `presence.${presence}`), meaning: t(lang, `presence.meaning_${presence}`) }));
    return ok(undefined);
  },
};
