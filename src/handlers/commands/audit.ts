import { t } from '../../i18n/format.js';
import { fail, ok } from '../../core/result.js';
import { seatOf } from '../preconditions.js';
import type { AuditEntry } from '../../core/audit-log.js';
import type { Command } from './types.js';
import { seatOfMention } from './lookup.js';
import { person } from './options.js';

const SINCE = /^(\d+)([mhdw])$|^(\d{4}-\d{2}-\d{2})$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `/audit [@user] [since]` lists the trail; `/audit verify` walks the hash chain (SPEC §9). */
export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit [@person] [since: 24h, 7d or 2026-11-01] · audit verify',
  description: 'The audit trail',
  options: [
    person('person', 'Only entries about this person', false),
    { name: 'since', description: '24h, 7d or a date like 2026-11-01', type: 'string', pattern: { regex: /^(\d+[mhdw]|\d{4}-\d{2}-\d{2})$/, hint: 'hint.since' } },
    { name: 'verify', description: 'Check the hash chain instead', type: 'boolean', word: 'verify' },
  ],
  example: '/audit since:7d',
  requires: { seat: true, enabled: true, permission: 'audit.view', action: 'read the audit log' },
  async run(ctx, { args, mentions }) {
    const log = ctx.desk.auditLog;
    if (args.words[0]?.toLowerCase() === 'verify') {
      const report = await log.verify();
      await ctx.replyPrivately(report.intact
        ? t(ctx.lang, 'audit.intact', { entries: report.entries })
        : t(ctx.lang, 'audit.broken', { at: report.brokenAt ?? 0, entries: report.entries, reason: String(report.reason) }));
      await ctx.desk.audit(seatOf(ctx).id, 'audit.verify', 'audit', undefined, report.intact ? 'intact' : `broken at ${report.brokenAt}`);
      return ok(report);
    }
    const sinceWord = args.words.find((w) => SINCE.test(w));
    const m = sinceWord ? SINCE.exec(sinceWord)! : undefined;
    const now = ctx.desk.clock.now();
    const since = m ? (m[3] ? Date.parse(`${m[3]}T00:00:00Z`) : now - Number(m[1]) * UNIT_MS[m[2]!]!) : 0;
    const who = mentions[0] ? await seatOfMention(ctx, mentions[0]) : undefined;
    if (mentions[0] && !who) return fail('unknown_seat', { who: 'The person you named' });
    const entries = await log.list(30, (e) => e.at >= since && (!who || e.actor === who.id || e.target === who.id));
    await ctx.replyPrivately(entries.length ? entries.map(format).join('\n') : t(ctx.lang, 'audit.none'));
    return ok(entries);
  },
};

function format(e: AuditEntry): string {
  const when = new Date(e.at).toISOString().replace('T', ' ').slice(0, 16);
  return `#${e.seq} ${when} ${e.actor} ${e.action}${e.target ? ` → ${e.target}` : ''}${e.outcome && e.outcome !== 'ok' ? ` (${e.outcome}${e.detail ? `: ${e.detail}` : ''})` : e.detail ? ` (${e.detail})` : ''}`;
}
