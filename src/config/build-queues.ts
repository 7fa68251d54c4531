import type { ConfiguredMessenger } from '../bot/messenger-module.js';
import type { Config } from './config.js';
import type { Registry } from './registry.js';
import type { FileConfig } from './schema.js';
import { pickLanguage } from '../i18n/languages.js';
import type { ConfiguredChannel } from '../channels/channel-module.js';
import { buildService } from './build-service.js';

/** Queues: `default` always exists; a queue goes to the first configured messenger unless it names one. */
export function buildQueues(fileQueues: FileConfig['queues'], configured: Readonly<Record<string, ConfiguredMessenger>>, channels: Readonly<Record<string, ConfiguredChannel>>, registry: Registry, configFile: string, problems: string[]): Config['queues'] {
  const first = Object.keys(configured)[0];
  const queues: Config['queues'] = [];
  const names = new Set<string>();
  const withDefault = fileQueues.some((q) => q.name === 'default') ? fileQueues : [...fileQueues, { name: 'default', department: 'default' }];
  for (const q of withDefault) {
    if (names.has(q.name)) problems.push(`${configFile}: queue "${q.name}" is listed twice. Keep one.`);
    names.add(q.name);
    const messenger = q.messenger ?? first;
    if (!messenger) continue; // "no messenger" is reported already
    const mine = configured[messenger];
    if (!mine) { problems.push(`${configFile}: queue "${q.name}" uses ${messenger}, which is not configured. Set its variables or pick another messenger.`); continue; }
    const key = registry.messengers.find((m) => m.id === messenger)?.queueChannel.key;
    const own = key ? q[key] : undefined;
    const channel = (typeof own === 'string' ? own : undefined) ?? mine.defaultChannel;
    if (!channel) problems.push(`${configFile}: queue "${q.name}" has no channel for ${messenger}. Give it one.`);
    else queues.push({
      name: q.name, department: q.department, messenger, channel,
      ...(q.language ? { language: pickLanguage(q.language) } : {}),
      assignment: q.assignment ?? 'least_busy',
      stickyDays: q.sticky_days ?? 7,
      service: buildService(q, channels, registry, configFile, problems),
    });
  }
  // The default queue first: it is where unrouted conversations go.
  queues.sort((a, b) => Number(b.name === 'default') - Number(a.name === 'default'));
  return queues;
}
