import type { Config } from './config.js';
import type { Registry } from './registry.js';

/** BOOTSTRAP_ADMINS: comma-separated `<messenger>:<user id>` entries, a registered messenger's id first. */
export function parseBootstrapAdmins(raw: string | undefined, registry: Registry, problems: string[]): Config['bootstrapAdmins'] {
  const bootstrapAdmins: Config['bootstrapAdmins'] = [];
  for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const messenger = registry.messengers.find((m) => m.id === entry.slice(0, colon));
    const userId = entry.slice(colon + 1);
    if (colon < 0 || !messenger || !messenger.userIds.pattern.test(userId)) {
      problems.push(`BOOTSTRAP_ADMINS entry "${entry}" is not <messenger>:<user id>. Write it like ${registry.messengers[0]?.userIds.example ?? 'slack:U0123ABCD'}.`);
    } else bootstrapAdmins.push({ platform: messenger.id, userId });
  }
  return bootstrapAdmins;
}
