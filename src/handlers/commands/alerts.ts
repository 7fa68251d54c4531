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
    if (!alerts) return fail('bad_arguments', { usage: 'security alerts are not set up on this desk' });
    if (args.words[0]?.toLowerCase() === 'ack') {
      const id = args.words[1];
      if (!id) return fail('bad_arguments', { usage: 'say which alert', example: '/alerts ack a1b2c3' });
      const result = await alerts.acknowledge(id, seatOf(ctx));
      if (!result.ok) return result;
      await ctx.replyPrivately(`Alert ${id} acknowledged (${result.value.rule}: ${result.value.summary}).`);
      return result;
    }
    const open = await alerts.open();
    await ctx.replyPrivately(open.length
      ? `${open.length} open alert${open.length === 1 ? '' : 's'}:\n${open.map((a) => `• ${a.id} ${new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')} ${a.severity} ${a.rule}: ${a.summary}`).join('\n')}\nAcknowledge with \`/alerts ack <id>\`.`
      : 'No open alerts.');
    return ok(open);
  },
};
