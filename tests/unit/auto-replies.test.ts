import { describe, expect, it } from 'vitest';
import { dueAutoReply } from '../../src/core/intake/auto-replies.js';
import { autoReplyWords } from '../../src/handlers/auto-reply-words.js';
import { DEFAULT_SERVICE, type ServiceSettings } from '../../src/core/service-settings.js';
import type { Conversation } from '../../src/core/model.js';

const conv = (o: Partial<Conversation> = {}): Conversation => ({ id: 'c1', channel: 'whatsapp', account: '1', customer: { id: 'x' }, queue: 'cn', status: 'open', createdAt: 0, lastCustomerAt: 0, ...o });
const words = autoReplyWords({ language: 'en', queues: { cn: { language: 'zh-CN' }, en: {} } });
const hours = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], open: 9 * 60, close: 17 * 60, holidays: [] };
const service = (o: Partial<ServiceSettings> = {}): ServiceSettings => ({ ...DEFAULT_SERVICE, hours, ...o });
const SATURDAY = Date.parse('2026-12-05T12:00:00Z');
const MONDAY_10 = Date.parse('2026-12-07T10:00:00Z');

describe('the desk\'s automatic replies', () => {
  it('off-hours: the away reply, then nothing until the interval has passed', () => {
    const first = dueAutoReply(conv(), true, SATURDAY, service(), words);
    expect(first).toEqual({ kind: 'away', text: '亲您好，感谢您的留言。我们现在不在服务时间，将于 2026年12月07日 09:00（UTC） 起回复您。' });
    expect(dueAutoReply(conv({ awayRepliedAt: SATURDAY }), false, SATURDAY + 239 * 60_000, service(), words)).toBeUndefined();
    expect(dueAutoReply(conv({ awayRepliedAt: SATURDAY }), false, SATURDAY + 240 * 60_000, service(), words)?.kind).toBe('away');
  });

  it('off-hours the away reply replaces the welcome; in hours only a first message is welcomed', () => {
    const welcome = [{ text: 'Hi {customer_name} from {queue}' }];
    expect(dueAutoReply(conv(), true, SATURDAY, service({ welcome }), words)?.kind).toBe('away');
    expect(dueAutoReply(conv({ queue: 'en', customer: { id: 'x', name: 'Li' } }), true, MONDAY_10, service({ welcome }), words)).toEqual({ kind: 'welcome', text: 'Hi Li from en' });
    expect(dueAutoReply(conv(), false, MONDAY_10, service({ welcome }), words)).toBeUndefined();
  });

  it('picks the first welcome whose slot holds, slots past midnight included, and none when none holds', () => {
    const welcome = [{ between: { from: 22 * 60, to: 2 * 60 }, text: 'night' }, { between: { from: 8 * 60, to: 12 * 60 }, text: 'morning' }];
    const always = { ...service({ welcome }), hours: { ...hours, days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: 1440 } };
    expect(dueAutoReply(conv(), true, Date.parse('2026-12-07T23:30:00Z'), always, words)?.text).toBe('night');
    expect(dueAutoReply(conv(), true, Date.parse('2026-12-08T01:30:00Z'), always, words)?.text).toBe('night');
    expect(dueAutoReply(conv(), true, MONDAY_10, always, words)?.text).toBe('morning');
    expect(dueAutoReply(conv(), true, Date.parse('2026-12-07T15:00:00Z'), always, words)).toBeUndefined();
  });

  it('a queue without hours is always open, and a template keeps variables it does not know as written', () => {
    expect(dueAutoReply(conv(), true, SATURDAY, { ...DEFAULT_SERVICE }, words)).toBeUndefined();
    expect(words.away(conv({ queue: 'en' }), 'Back {opens_at}, {customer_nam}', undefined, 'UTC')).toBe('Back our next opening, {customer_nam}');
  });
});
