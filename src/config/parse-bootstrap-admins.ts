import type { Platform } from '../core/model.js';
import type { Config } from './config.js';

/** BOOTSTRAP_ADMINS: comma-separated `<messenger>:<user id>` entries. */
export function parseBootstrapAdmins(raw: string | undefined, problems: string[]): Config['bootstrapAdmins'] {
  const bootstrapAdmins: Config['bootstrapAdmins'] = [];
  for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(slack|telegram|discord):([A-Za-z0-9_-]+)$/.exec(entry);
    if (!m) problems.push(`BOOTSTRAP_ADMINS entry "${entry}" is not <messenger>:<user id>. Write it like slack:U0123ABCD (Slack: profile → ⋮ → Copy member ID).`);
    else bootstrapAdmins.push({ platform: m[1] as Platform, userId: m[2]! });
  }
  return bootstrapAdmins;
}
