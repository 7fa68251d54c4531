import { DiscordAPIError, REST, Routes, type APIChannel, type APIUser } from 'discord.js';
import { reasonOf, type DoctorContext, type Finding } from '../../../doctor/finding.js';
import { inviteUrl } from './permissions.js';

export interface DiscordDoctorSettings { token: string; applicationId: string; guildId: string; apiUrl: string }

/**
 * Checks a Discord install: the bot token (GET /users/@me) and each queue
 * channel (GET /channels/{id}: the bot can see it, and it is in
 * DISCORD_GUILD_ID's server). A 403 or 404 means the bot is not in the server
 * or the channel hides from it: the fix is the invite URL.
 */
export async function checkDiscord(s: DiscordDoctorSettings, ctx: DoctorContext): Promise<Finding[]> {
  const part = 'Discord';
  const rest = new REST({ api: s.apiUrl, timeout: ctx.timeoutMs, retries: 0 }).setToken(s.token);
  let me: APIUser;
  try {
    // Routes.user() is `/users/@me`; Routes.user('@me') would send `%40me`.
    me = (await rest.get(Routes.user())) as APIUser;
  } catch (err) {
    return [{ part, ok: false, said: `the bot token was refused (${reasonOf(err)})`, fix: 'Developer Portal → your app → Bot → Reset Token, and copy it into DISCORD_TOKEN.' }];
  }
  const found: Finding[] = [{ part, ok: true, said: `the bot token works: ${me.username}` }];
  for (const id of ctx.channels) {
    const where = `Discord channel ${id}`;
    try {
      const channel = (await rest.get(Routes.channel(id))) as APIChannel;
      const guild = 'guild_id' in channel ? channel.guild_id : undefined;
      found.push(guild === s.guildId
        ? { part: where, ok: true, said: `#${channel.name ?? id} is visible to the bot` }
        : { part: where, ok: false, said: `the channel is not in the server DISCORD_GUILD_ID (${s.guildId})`, fix: 'Developer mode on → right-click the server → Copy Server ID into DISCORD_GUILD_ID, or pick a channel of that server.' });
    } catch (err) {
      const status = err instanceof DiscordAPIError ? err.status : undefined;
      found.push({
        part: where, ok: false,
        said: status === 404 ? 'no such channel' : status === 403 ? 'the bot cannot see this channel' : `GET /channels failed (${reasonOf(err)})`,
        fix: `Add the bot to the server with ${inviteUrl(s.applicationId)} and give its role View Channel there; check DISCORD_CHANNEL_ID (developer mode → right-click the channel → Copy Channel ID).`,
      });
    }
  }
  return found;
}
