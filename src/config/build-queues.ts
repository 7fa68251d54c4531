import type { Platform } from '../core/model.js';
import type { Config } from './config.js';
import type { Messengers } from './read-messengers.js';
import type { FileConfig } from './schema.js';

/** Queues: `default` always exists; a queue goes to the first configured messenger unless it names one. */
export function buildQueues(fileQueues: FileConfig['queues'], m: Messengers, configFile: string, problems: string[]): Config['queues'] {
  const { slack, telegram, discord } = m;
  const configured: Platform[] = [...(slack ? ['slack' as const] : []), ...(telegram ? ['telegram' as const] : []), ...(discord ? ['discord' as const] : [])];
  const defaults: Record<Platform, string | undefined> = { slack: slack?.channel, telegram: telegram?.chatId, discord: discord?.channelId };
  const queues: Config['queues'] = [];
  const names = new Set<string>();
  for (const q of [...fileQueues, ...(fileQueues.some((q) => q.name === 'default') ? [] : [{ name: 'default', department: 'default' } as (typeof fileQueues)[number]])]) {
    if (names.has(q.name)) problems.push(`${configFile}: queue "${q.name}" is listed twice. Keep one.`);
    names.add(q.name);
    const messenger = q.messenger ?? configured[0];
    if (!messenger) continue; // "no messenger" is reported above
    if (!configured.includes(messenger)) { problems.push(`${configFile}: queue "${q.name}" uses ${messenger}, which is not configured. Set its variables or pick another messenger.`); continue; }
    const channel = { slack: q.slack_channel, telegram: q.telegram_chat_id, discord: q.discord_channel_id }[messenger] ?? defaults[messenger];
    if (!channel) problems.push(`${configFile}: queue "${q.name}" has no channel for ${messenger}. Give it one.`);
    else queues.push({ name: q.name, department: q.department, messenger, channel });
  }
  // The default queue first: it is where unrouted conversations go.
  queues.sort((a, b) => Number(b.name === 'default') - Number(a.name === 'default'));
  return queues;
}
