import type { Desk } from '../core/desk.js';
import type { Outbox } from '../core/outbox/outbox.js';
import { lanes } from '../core/outbox/items.js';
import type { WriteOp } from '../core/ports.js';
import { localTime } from '../core/hours/local-time.js';
import { previousWeek } from '../core/stats/stat-range.js';
import { scheduleDigestOps } from '../core/stats/digest-schedule.js';
import type { Timer } from '../core/timers.js';
import { readerLanguage } from '../i18n/choose-language.js';
import { t } from '../i18n/format.js';
import { departmentStatsText } from './stats-view-text.js';

/**
 * The weekly digest's timer handler: last week's figures (Monday to Sunday,
 * department time) by DM to each enabled supervisor of the department, each
 * in their language, and the next Monday's timer, all in the firing's batch,
 * so a digest is sent once and the next one is never lost.
 */
export function statsDigestHandler(desk: Desk, outbox: Pick<Outbox, 'stage'>): (timer: Timer) => Promise<WriteOp[] | 'skip'> {
  return async (timer) => {
    const department = typeof timer.data === 'object' && timer.data && !Array.isArray(timer.data) ? timer.data.department : undefined;
    // A department gone from the config gets no digest and no next one.
    if (typeof department !== 'string' || !Object.values(desk.settings.queues).some((q) => q.department === department)) return 'skip';
    const zone = desk.departmentZone(department);
    const figures = await desk.statsOfDepartment(department, previousWeek(localTime(timer.dueAt, zone).date));
    const supervisors = (await desk.seats.list()).filter((s) => s.enabled && s.roles.includes('supervisor') && s.departments.includes(department));
    const ops: WriteOp[] = [];
    for (const seat of supervisors) {
      const binding = seat.bindings[0];
      if (!binding) continue;
      const lang = readerLanguage(desk.settings, seat);
      const text = `${t(lang, 'stats.digest_intro')}\n\n${departmentStatsText(lang, figures)}`;
      ops.push(...outbox.stage(lanes.person(binding.platform, binding.userId), binding.platform, { op: 'dm', platform: binding.platform, user: binding.userId, text }).ops);
    }
    // After the one that fired: Monday 09:00 a week on, even when this firing came late.
    ops.push(...scheduleDigestOps(department, Math.max(timer.dueAt, desk.clock.now()), zone));
    return ops;
  };
}
