import { describe, expect, it } from 'vitest';
import { changeReply, type ChangeDeps } from '../../src/core/replies/change-reply.js';
import { readReplyRecord, replyRecordOp } from '../../src/core/replies/reply-record.js';
import { processLocks } from '../../src/core/lock.js';
import type { WriteOp } from '../../src/core/ports.js';
import type { OutboxPayload } from '../../src/core/outbox/items.js';
import { conversation, seat } from './memory-desk-ports.js';

/** The ports changeReply uses, in memory: atomic strings, the staged outbox items and transcript lines of each batch. */
function ports(channels: ChangeDeps['channels']) {
  const strings = new Map<string, string>();
  const staged: OutboxPayload[] = [];
  const events: string[] = [];
  const apply = (op: WriteOp) => {
    if (op.kind === 'setString') strings.set(op.key, op.value);
    if (op.kind === 'push' && op.key.startsWith('transcript:')) events.push(...op.values.map((v) => (JSON.parse(v) as { text: string }).text));
  };
  const d = {
    store: { getString: async (k: string) => strings.get(k), writeAtomically: async (ops: readonly WriteOp[]) => { ops.forEach(apply); } },
    clock: { now: () => 5_000, sleep: async () => {} },
    conversations: { transcriptOp: (convId: string, entry: { text: string }): WriteOp => ({ kind: 'push', key: `transcript:${convId}`, values: [JSON.stringify(entry)] }) },
    outbox: {
      stage: (_lane: string, _via: string, payload: OutboxPayload) => { staged.push(payload); return { item: {}, ops: [] }; },
      appended: () => {},
    },
    locks: processLocks({ sleep: async () => {} }),
    channels,
  } as unknown as ChangeDeps;
  return { d, strings, staged, events, seed: (convId: string, msg: string, author: string, text: string) => apply(replyRecordOp(convId, msg, { author, text, at: 1 })) };
}

const ana = seat('ana');
const bo = seat('bo');

describe('changeReply', () => {
  it('queues an edit once: the same wording again, or a second delete, changes nothing', async () => {
    const p = ports({ telegram: { label: 'Telegram', changesReplies: true } });
    const conv = conversation('c1', { channel: 'telegram' });
    p.seed('c1', 'm1', ana.id, 'Monday');
    expect(await changeReply(p.d, conv, ana, 'm1', 'Tuesday')).toEqual({ ok: true, value: 'carried' });
    expect(await changeReply(p.d, conv, ana, 'm1', 'Tuesday ')).toEqual({ ok: true, value: 'unchanged' });
    expect(await changeReply(p.d, conv, ana, 'm1', undefined)).toEqual({ ok: true, value: 'carried' });
    expect(await changeReply(p.d, conv, ana, 'm1', undefined)).toEqual({ ok: true, value: 'unchanged' });
    expect(p.staged).toEqual([
      { op: 'customer.change', convId: 'c1', agentMessageId: 'm1', text: 'Tuesday', author: ana.id },
      { op: 'customer.change', convId: 'c1', agentMessageId: 'm1', author: ana.id },
    ]);
    expect(p.events).toEqual(['reply edited: Tuesday', 'reply deleted: Tuesday']);
    expect(await readReplyRecord(p.d.store, 'c1', 'm1')).toMatchObject({ text: 'Tuesday', deleted: true });
  });

  it('ignores messages that were no reply, and other seats\' edits; takes a delete nobody is named for as the author\'s', async () => {
    const p = ports({ telegram: { label: 'Telegram', changesReplies: true } });
    const conv = conversation('c2', { channel: 'telegram' });
    p.seed('c2', 'm1', ana.id, 'Hello');
    expect(await changeReply(p.d, conv, ana, 'note-1', 'x')).toEqual({ ok: true, value: 'not_a_reply' });
    expect(await changeReply(p.d, conv, bo, 'm1', 'Hijacked')).toEqual({ ok: true, value: 'not_a_reply' });
    expect(await changeReply(p.d, conv, undefined, 'm1', 'No one')).toEqual({ ok: true, value: 'not_a_reply' });
    expect(await changeReply(p.d, conv, undefined, 'm1', undefined)).toEqual({ ok: true, value: 'carried' });
    expect(p.staged).toEqual([{ op: 'customer.change', convId: 'c2', agentMessageId: 'm1', author: ana.id }]);
  });

  it('refuses, once, where the channel cannot change a sent message, naming the channel and the change', async () => {
    const p = ports({ whatsapp: { label: 'WhatsApp', replyWindowMs: 86_400_000 } });
    const conv = conversation('c3', { channel: 'whatsapp' });
    p.seed('c3', 'm1', ana.id, 'Yes, 3 left');
    expect(await changeReply(p.d, conv, ana, 'm1', 'Yes, 2 left')).toEqual({ ok: false, failure: { code: 'reply_change_unsupported', detail: { channel: 'WhatsApp', change: 'edit' } } });
    expect(await changeReply(p.d, conv, ana, 'm1', 'Yes, 2 left')).toEqual({ ok: true, value: 'unchanged' });
    expect(p.staged).toEqual([]);
  });
});
