import { parseCsv } from '../../core/csv.js';
import type { Platform, Role, Seat } from '../../core/model.js';
import { fail, ok, type Result } from '../../core/result.js';
import { SeatAdmin, type SeatSpec } from '../../core/seat-admin.js';
import { describeFailure } from '../describe-failure.js';
import type { HandlerContext } from '../context.js';
import { seatOf } from '../preconditions.js';
import { t } from '../../i18n/format.js';
import { LANGUAGE_TAGS, parseLanguage } from '../../i18n/languages.js';

const COLUMNS = ['user', 'name', 'roles', 'departments', 'queues', 'max', 'template', 'lang'] as const;

/**
 * `/seat import`: a CSV (attached or pasted) with a header row naming columns
 * of `user,name,roles,departments,queues,max,template,lang` (`user` is required:
 * a messenger user id, optionally a messenger's id and `:` first (`slack:U0123ABCD`);
 * several roles or queues separated by `;`). Every row is checked first; one
 * bad row and nothing is applied, with every bad row named by line. Who may
 * import is `seat import`'s precondition; each row is checked for what the
 * importer may grant.
 */
export async function importSeats(ctx: HandlerContext, csvText: string): Promise<Result<{ imported: number }>> {
  const importer = seatOf(ctx);
  const { lang } = ctx;
  const parsed = parseCsv(csvText);
  if (parsed.error) return fail('import_invalid', { count: 1, rows: t(lang, 'import.line', { line: parsed.error.line, problem: parsed.error.reason }) });
  const [header, ...rows] = parsed.rows;
  if (!header) return fail('bad_arguments', { usage: 'usage.import_empty' });
  const names = header.cells.map((c) => c.trim().toLowerCase().replace(/^role$/, 'roles').replace(/^queue$/, 'queues').replace(/^department$/, 'departments'));
  const unknown = names.filter((n) => n && !(COLUMNS as readonly string[]).includes(n));
  if (!names.includes('user') || unknown.length) {
    return fail('import_invalid', { count: 1, rows: t(lang, 'import.line', { line: header.line, problem: unknown.length ? t(lang, 'import.header_unknown', { known: COLUMNS.join(', '), unknown: unknown.join(', ') }) : t(lang, 'import.header_user') }) });
  }
  if (rows.length > 200) await ctx.replyPrivately(t(lang, 'import.checking', { count: rows.length }));
  const admin = new SeatAdmin(ctx.desk, ctx.desk.settings.seatTemplates);
  const problems: string[] = [];
  const seats: Seat[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const get = (col: (typeof COLUMNS)[number]) => (row.cells[names.indexOf(col)] ?? '').trim();
    const list = (v: string) => v.split(/[;|]/).map((x) => x.trim()).filter(Boolean);
    const userCell = get('user');
    const m = /^(?:([a-z][a-z0-9-]*):)?([A-Za-z0-9_-]+)$/.exec(userCell);
    if (!m) { problems.push(t(lang, 'import.line', { line: row.line, problem: t(lang, 'import.bad_user', { user: userCell }) })); continue; }
    const platform: Platform = m[1] ?? ctx.actor.platform;
    const known = ctx.desk.settings.messengers;
    if (!known.includes(platform)) { problems.push(t(lang, 'import.line', { line: row.line, problem: t(lang, 'import.bad_messenger', { platform, known: known.map((k) => `${k}:`).join(', ') }) })); continue; }
    const key = `${platform}:${m[2]}`;
    if (seen.has(key)) { problems.push(t(lang, 'import.line', { line: row.line, problem: t(lang, 'import.duplicate', { key, other: seen.get(key) ?? 0 }) })); continue; }
    seen.set(key, row.line);
    const max = get('max');
    if (max && !/^\d+$/.test(max)) { problems.push(t(lang, 'import.line', { line: row.line, problem: t(lang, 'import.bad_max', { max }) })); continue; }
    const rowLang = get('lang') ? parseLanguage(get('lang')) : undefined;
    if (get('lang') && !rowLang) { problems.push(t(lang, 'import.line', { line: row.line, problem: t(lang, 'import.bad_lang', { lang: get('lang'), accepted: LANGUAGE_TAGS.join(', ') }) })); continue; }
    const spec: SeatSpec = {
      platform, userId: m[2]!,
      ...(get('name') ? { name: get('name') } : {}),
      ...(get('roles') ? { roles: list(get('roles')) as Role[] } : {}),
      ...(get('departments') ? { departments: list(get('departments')) } : {}),
      ...(get('queues') ? { queues: list(get('queues')) } : {}),
      ...(max ? { maxChats: Number(max) } : {}),
      ...(get('template') ? { template: get('template') } : {}),
      ...(rowLang ? { lang: rowLang } : {}),
    };
    const prepared = await admin.prepare(importer, spec);
    if (!prepared.ok) {
      problems.push(t(lang, 'import.line', { line: row.line, problem: describeFailure(prepared.failure, { lang }) }));
    } else {
      seats.push(prepared.value);
    }
  }
  if (problems.length) {
    const shown = problems.slice(0, 30).join('\n');
    return fail('import_invalid', { count: problems.length, rows: problems.length > 30 ? `${shown}\n${t(lang, 'import.more', { count: problems.length - 30 })}` : shown });
  }
  await admin.saveAll(importer, seats, async (done) => { if (seats.length > 200) await ctx.replyPrivately(t(lang, 'import.progress', { done, total: seats.length })); });
  return ok({ imported: seats.length });
}
