import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/handlers/describe-failure.js';
import type { Failure, FailureCode } from '../../src/core/result.js';

const CODES = [
  'not_a_seat', 'seat_disabled', 'permission_denied', 'not_in_thread', 'unknown_conversation', 'already_claimed',
  'already_yours', 'not_claimed', 'not_claimer', 'conversation_closed', 'conversation_open', 'window_closed',
  'channel_error', 'unknown_command', 'slash_in_thread_unsupported', 'bad_arguments', 'unknown_seat', 'seat_exists',
  'unknown_role', 'unknown_queue', 'outside_department', 'last_admin', 'seat_not_disabled', 'receiver_unavailable',
  'too_many_mentions', 'import_invalid', 'file_type_unsupported', 'file_too_large', 'file_fetch_failed', 'unknown_language', 'seat_full',
  'reply_allowance_used', 'session_with_servicer', 'session_ended',
  'templates_unavailable', 'unknown_template', 'template_language', 'template_parameters', 'customer_opted_out', 'reply_change_unsupported',
  'reply_recall_window',
] as const satisfies readonly FailureCode[];
// Fails to compile when a code is added without being listed here.
const everyCode: [Exclude<FailureCode, (typeof CODES)[number]>] extends [never] ? true : false = true;

/** The details each code's callers give (who holds the claim, which command…). */
const DETAILS: Partial<Record<FailureCode, Failure['detail']>> = {
  already_claimed: { holder: 'Alex' },
  not_claimer: { holder: 'Alex' },
  seat_full: { max: 3, held: 3 },
  unknown_command: { command: 'clam' },
  slash_in_thread_unsupported: { command: 'claim' },
  bad_arguments: { usage: 'transfer @seat [reason]' },
  unknown_seat: { who: '@sam' },
  seat_exists: { seat: 'Sam' },
  unknown_role: { role: 'boss' },
  unknown_queue: { queue: 'vip' },
  outside_department: { department: 'finance' },
  seat_not_disabled: { seat: 'Sam' },
  receiver_unavailable: { seat: 'Sam', why: 'their seat is disabled' },
  too_many_mentions: { count: 3 },
  reply_allowance_used: { channel: 'WeChat', allowance: 5, windowHours: 48, since: Date.UTC(2026, 10, 30, 9, 0) },
  session_with_servicer: { channel: 'WeChat' },
  session_ended: { channel: 'WeChat' },
  import_invalid: { count: 1, rows: 'line 4: "boss" is not a role' },
  file_type_unsupported: { file: 'clip.mov', mime: 'video/quicktime', channel: 'WhatsApp', accepted: 'video/mp4 (16 MB)', withText: 1 },
  file_too_large: { file: 'scan.png', size: 7.5, limit: 5, channel: 'WhatsApp', kind: 'image' },
  file_fetch_failed: { file: 'scan.png', reason: 'Slack answered 401' },
  unknown_language: { lang: 'fr' },
  templates_unavailable: { channel: 'WhatsApp' },
  unknown_template: { name: 'order_updte', templates: 'order_update (en, 1)' },
  template_language: { name: 'order_update', languages: 'en, zh_CN' },
  template_parameters: { name: 'order_update', language: 'en', expected: 1, given: 0 },
  reply_change_unsupported: { channel: 'WhatsApp', change: 'edit' },
  reply_recall_window: { channel: 'WeChat', change: 'delete', minutes: 2 },
};

describe('describeFailure', () => {
  it('turns every failure code into a finished sentence', () => {
    expect(everyCode).toBe(true);
    for (const code of CODES) {
      const text = describeFailure(DETAILS[code] ? { code, detail: DETAILS[code] } : { code });
      expect(text, code).toMatch(/\.$/);
      expect(text.length, code).toBeGreaterThan(20);
      expect(text, code).not.toMatch(/undefined|null|\[object/);
    }
  });

  it('says a WeChat reply can be recalled only within 2 minutes, for a late delete and for an edit, in both languages', () => {
    const late = describeFailure({ code: 'reply_recall_window', detail: { channel: 'WeChat', change: 'delete', minutes: 2 } });
    expect(late).toBe('🗑️ You deleted a reply, but WeChat lets a message be recalled only within 2 minutes of sending; the customer still sees it.');
    const edit = describeFailure({ code: 'reply_recall_window', detail: { channel: 'WeChat', change: 'edit', minutes: 2 } });
    expect(edit).toContain('WeChat cannot change a sent message');
    expect(edit).toContain('Send the correction as a new reply.');
    expect(describeFailure({ code: 'reply_recall_window', detail: { channel: 'WeChat', change: 'delete', minutes: 2 } }, { lang: 'zh-CN' })).toContain('2 分钟内撤回');
  });

  it('says whom to ask and what to type when the conversation belongs to someone else', () => {
    const text = describeFailure({ code: 'not_claimer', detail: { holder: 'Alex' } });
    expect(text).toContain('Alex has this conversation');
    expect(text).toContain('`!transfer`');
    expect(text).toContain('`!claim`');
    expect(text).toContain('`//`');
  });

  it('uses the configured command prefix in the commands it suggests', () => {
    expect(describeFailure({ code: 'already_claimed', detail: { holder: 'Sam' } }, '.')).toContain('`.transfer`');
    expect(describeFailure({ code: 'not_claimed' }, '.')).toContain('`.claim`');
    expect(describeFailure({ code: 'unknown_command', detail: { command: 'clam' } })).toMatch(/^`!clam` is not a command here\. Try `!claim`/);
  });

  it('always tells Slack users to type !command in a thread, whatever the prefix', () => {
    expect(describeFailure({ code: 'slash_in_thread_unsupported', detail: { command: 'claim' } }, '.')).toContain('`!claim`');
  });

  it('explains a closed WhatsApp window with the time it closed, in UTC', () => {
    const failure: Failure = { code: 'window_closed', detail: { channel: 'WhatsApp', windowHours: 24, closesAt: Date.UTC(2026, 0, 15, 9, 30) } };
    const text = describeFailure(failure);
    expect(text).toContain('24 hours');
    expect(text).toContain('2026-01-15 09:30 UTC');
    expect(text).toContain('has to write again');
  });

  it('offers the approved templates when a window closed, or says the customer opted out of them', () => {
    const base = { channel: 'WhatsApp', windowHours: 24, closesAt: Date.UTC(2026, 0, 15, 9, 30) };
    expect(describeFailure({ code: 'window_closed', detail: { ...base, templates: 'order_update (en, 1)' } })).toContain('order_update (en, 1). Send one with `!template <name> [language] [values…]`.');
    expect(describeFailure({ code: 'window_closed', detail: { ...base, optedOut: 1 } })).toContain('opted out');
    expect(describeFailure({ code: 'template_parameters', detail: { name: 'order_update', language: 'en', expected: 2, given: 1 } }, { lang: 'zh-CN' })).toContain('需要 2 个值，实际给了 1 个');
  });

  it('says the customer still sees the original where a channel cannot change a sent reply', () => {
    expect(describeFailure({ code: 'reply_change_unsupported', detail: { channel: 'WhatsApp', change: 'delete' } })).toBe('🗑️ You deleted a reply, but WhatsApp cannot take back a sent message. The customer still sees the original.');
    expect(describeFailure({ code: 'reply_change_unsupported', detail: { channel: 'WhatsApp', change: 'edit' } }, { lang: 'zh-CN' })).toContain('客户看到的仍是原来的内容');
  });

  it('explains a used-up WeChat reply allowance with its size, window and what to do, in English and Chinese', () => {
    const failure: Failure = { code: 'reply_allowance_used', detail: { channel: 'WeChat', allowance: 5, windowHours: 48, since: Date.UTC(2026, 10, 30, 9, 0) } };
    const en = describeFailure(failure);
    expect(en).toContain('WeChat allows only 5 replies after each customer message');
    expect(en).toContain('within 2 days');
    expect(en).toContain('2026-11-30 09:00 UTC');
    expect(en).toContain('has to write again');
    const zh = describeFailure(failure, { lang: 'zh-CN' });
    expect(zh).toContain('5 条');
    expect(zh).toContain('客户需要再次来信');
    const short = describeFailure({ code: 'reply_allowance_used', detail: { channel: 'WeChat', allowance: 5, left: 1, needed: 2 } });
    expect(short).toContain('needs 2 of them, but only 1 of the 5 replies');
    expect(short).toContain('Shorten it');
  });

  it('explains a channel error with the channel and the reason and what to do', () => {
    const text = describeFailure({ code: 'channel_error', detail: { channel: 'WhatsApp', reason: '131026: Message undeliverable' } });
    expect(text).toContain('WhatsApp refused this reply (131026: Message undeliverable)');
    expect(text).toContain('send it again');
  });

  it('names the action a permission denial was about and how to get it granted', () => {
    expect(describeFailure({ code: 'permission_denied', detail: { action: 'export transcripts' } })).toBe('Your roles do not allow you to export transcripts here. Ask a supervisor or admin to grant it with `/assign`.');
  });
});
