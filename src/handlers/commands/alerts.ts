import { t } from '../../i18n/format.js';
import { formatTime } from '../../i18n/format-time.js';
import { fail, ok } from '../../core/result.js';
import { seatOf } from '../preconditions.js';
import type { Command } from './types.js';

/** `/alerts` lists open alerts; `/alerts ack <id>` acknowledges one (also the DM's button). */
export const alertsCommand: Command = {
  name: 'alerts',
  usage: 'alerts · alerts ack <id>',
  description: 'Security alerts',
  options: [{ name: 'ack', description: 'Acknowledge the alert with this id', type: 'string', maxLength: 64, word: 'ack' }],
  example: '/alerts ack:a1b2c3',
  requires: { seat: true, enabled: true, permission: 'alerts.receive', action: 'see security alerts' },
  async run(ctx, { args }) {
    const alerts = ctx.desk.alerts;
    if (!alerts) return fail('bad_arguments', { usage: 'usage.alerts_off' });
    if (args.words[0]?.toLowerCase() === 'ack') {
      const id = args.words[1];
      if (!id) return fail('bad_arguments', { usage: 'usage.alerts_which', example: '/alerts ack a1b2c3' });
      const result = await alerts.acknowledge(id, seatOf(ctx));
      if (!result.ok) return result;
      await ctx.replyPrivately(t(ctx.lang, 'alerts.acknowledged', { id, rule: result.value.rule, summary: result.value.summary }));
      return result;
    }
    const open = await alerts.open();
    await ctx.replyPrivately(open.length
      ? t(ctx.lang, 'alerts.open', { count: open.length, lines: open.map((a) => `• ${a.id} ${formatTime(ctx.lang, a.at)} ${t(ctx.lang, `alert.severity_${a.severity}`)} ${a.rule}: ${a.summary}`).join('\n') })
      : t(ctx.lang, 'alerts.none'));
    return ok(open);
  },
};
