import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../src/bot/slack/verify-signature.js';
import { checkSlackPayload } from '../../src/bot/slack/check-payload.js';

/** Slack's signing rule (docs.slack.dev): the HMAC over `v0:<ts>:<body>` and |now − ts| ≤ 5 minutes, both ways. */
const SECRET = 'slack-signing-secret-for-tests';
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const sign = (ts: string, body: string) => `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
const check = (ts: string, body = '{"type":"event_callback"}', signature = sign(ts, body)) => verifySlackSignature(SECRET, Buffer.from(body), { timestamp: ts, signature }, NOW_MS);

describe('verifySlackSignature', () => {
  it('accepts a signature made now and at both edges of the five minutes', () => {
    for (const skew of [0, -300, 300]) expect(check(String(NOW + skew))).toEqual({ ok: true });
  });

  it('refuses a timestamp more than five minutes old or more than five minutes in the future', () => {
    expect(check(String(NOW - 301))).toEqual({ ok: false, reason: 'stale' });
    expect(check(String(NOW + 301))).toEqual({ ok: false, reason: 'future' });
    expect(check(String(NOW + 86_400 * 365))).toEqual({ ok: false, reason: 'future' });
  });

  it('refuses timestamps that are not whole seconds as written, even with a signature over them', () => {
    for (const ts of [`${NOW}.0`, '1.8e9', ` ${NOW}`, `-${NOW}`, '']) expect(check(ts).ok, ts).toBe(false);
  });

  it('refuses a changed body, another version and a missing signature', () => {
    const ts = String(NOW);
    expect(check(ts, '{"type":"event_callback"}', sign(ts, '{"type":"other"}'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(ts, '{}', sign(ts, '{}').replace('v0=', 'v1='))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySlackSignature(SECRET, Buffer.from('{}'), { timestamp: ts, signature: undefined }, NOW_MS)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('checkSlackPayload', () => {
  const action = { type: 'block_actions', user: { id: 'U0AGENT' }, team: { id: 'T0001' }, actions: [{ action_id: 'td:claim', value: 'c1' }] };

  it('hands on well-formed payloads and acknowledges kinds the desk does not listen to', () => {
    expect(checkSlackPayload(action, false)).toEqual({ kind: 'handle' });
    expect(checkSlackPayload({ type: 'event_callback', team_id: 'T0001', event: { type: 'reaction_added', item: null } }, false)).toEqual({ kind: 'ignore', what: 'event reaction_added' });
    expect(checkSlackPayload({ type: 'shortcut', user: null }, false)).toEqual({ kind: 'ignore', what: 'shortcut' });
  });

  it.each([
    ['"event": null', { type: 'event_callback', team_id: 'T0001', event: null }],
    ['actions: [null]', { ...action, actions: [null] }],
    ['no user', { ...action, user: undefined }],
    ['no team anywhere', { ...action, team: null }],
    ['a message from a user without a channel', { type: 'event_callback', team_id: 'T0001', event: { type: 'message', user: 'U0AGENT', ts: '1.2' } }],
    ['a message whose text is an object', { type: 'event_callback', team_id: 'T0001', event: { type: 'message', channel: 'C1', ts: '1.2', text: {} } }],
    ['a view submission that also carries actions (bolt would treat it as an action)', { type: 'view_submission', user: { id: 'U1' }, team: { id: 'T1' }, view: { id: 'V1', callback_id: 'td:transfer', state: { values: {} } }, actions: [] }],
    ['no type', {}],
  ])('refuses %s as malformed', (_what, body) => {
    expect(checkSlackPayload(body as Record<string, unknown>, false).kind).toBe('malformed');
  });

  it('refuses a slash command form without its trigger_id or with an event field', () => {
    const form = { command: '/claim', user_id: 'U1', team_id: 'T1', channel_id: 'C1', trigger_id: '1.2.3' };
    expect(checkSlackPayload(form, true)).toEqual({ kind: 'handle' });
    expect(checkSlackPayload({ ...form, trigger_id: undefined }, true).kind).toBe('malformed');
    expect(checkSlackPayload({ ...form, event: 'x' }, true).kind).toBe('malformed');
  });
});
