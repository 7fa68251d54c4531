import { describe, expect, it } from 'vitest';
import { classifyThreadMessage, type ThreadMessageRules } from '../../src/core/thread-message.js';

/** The shipped defaults (config schema): `//` and `note:` notes, `!` commands. */
const rules: ThreadMessageRules = { notePrefixes: ['//', 'note:'], commandPrefix: '!' };
const classify = (text: string, mentions: string[] = []) => classifyThreadMessage(text, mentions, rules);

describe('classifyThreadMessage', () => {
  it('treats plain text as a reply to the customer', () => {
    expect(classify('Your parcel left the warehouse today.')).toEqual({ kind: 'reply' });
    expect(classify('')).toEqual({ kind: 'reply' });
  });

  it('keeps a message starting with // internal, even after leading whitespace', () => {
    expect(classify('// customer sounds upset')).toEqual({ kind: 'note' });
    expect(classify('//no space')).toEqual({ kind: 'note' });
    expect(classify('   \n// after a blank line')).toEqual({ kind: 'note' });
  });

  it('keeps a message starting with note: internal whatever its case', () => {
    for (const text of ['note: refund approved', 'Note: refund approved', 'NOTE:refund approved', '  nOtE: x']) {
      expect(classify(text), text).toEqual({ kind: 'note' });
    }
  });

  it('does not take a word that only starts like a note prefix for a note', () => {
    expect(classify('Notes are attached below')).toEqual({ kind: 'reply' });
    expect(classify('note that the store closes at 6')).toEqual({ kind: 'reply' });
    expect(classify('see https://example.com/a//b')).toEqual({ kind: 'reply' });
    expect(classify('/ one slash')).toEqual({ kind: 'reply' });
  });

  it('reads !claim as a command with no arguments', () => {
    expect(classify('!claim')).toEqual({ kind: 'command', name: 'claim', args: '' });
  });

  it('reads a command\'s arguments, trimmed, keeping inner line breaks', () => {
    expect(classify('!transfer @ana busy today  ')).toEqual({ kind: 'command', name: 'transfer', args: '@ana busy today' });
    expect(classify('!escalate <@U0ANA>\nplease look at the refund')).toEqual({ kind: 'command', name: 'escalate', args: '<@U0ANA>\nplease look at the refund' });
  });

  it('lower-cases the command name and accepts leading whitespace and hyphenated names', () => {
    expect(classify('  !CLAIM')).toEqual({ kind: 'command', name: 'claim', args: '' });
    expect(classify('!re-open now')).toEqual({ kind: 'command', name: 're-open', args: 'now' });
  });

  it('prefers a command over a mention, so !transfer @ana is not an escalation', () => {
    expect(classify('!transfer <@U0ANA> on holiday', ['U0ANA'])).toEqual({ kind: 'command', name: 'transfer', args: '<@U0ANA> on holiday' });
  });

  it('does not read exclamations, a bare ! or a number as commands', () => {
    expect(classify('!!! urgent')).toEqual({ kind: 'reply' });
    expect(classify('!')).toEqual({ kind: 'reply' });
    expect(classify('! claim')).toEqual({ kind: 'reply' });
    expect(classify('!123')).toEqual({ kind: 'reply' });
    expect(classify('Great news!')).toEqual({ kind: 'reply' });
  });

  it('treats a message that mentions colleagues as an internal escalation, keeping the mentions in order', () => {
    expect(classify('<@U0ANA> <@U0BOB> can you check?', ['U0ANA', 'U0BOB'])).toEqual({ kind: 'mention', mentions: ['U0ANA', 'U0BOB'] });
  });

  it('copies the mentions rather than handing out the caller\'s array', () => {
    const mentions = ['U0ANA'];
    const kind = classify('<@U0ANA> ?', mentions);
    mentions.push('U0LATER');
    expect(kind).toEqual({ kind: 'mention', mentions: ['U0ANA'] });
  });

  it('keeps a note internal as a note even when it mentions someone', () => {
    expect(classify('// <@U0ANA> fyi', ['U0ANA'])).toEqual({ kind: 'note' });
  });

  it('uses configured prefixes instead of the defaults', () => {
    const custom: ThreadMessageRules = { notePrefixes: ['#internal'], commandPrefix: '.' };
    expect(classifyThreadMessage('#INTERNAL keep this here', [], custom)).toEqual({ kind: 'note' });
    expect(classifyThreadMessage('// now goes to the customer', [], custom)).toEqual({ kind: 'reply' });
    expect(classifyThreadMessage('.claim', [], custom)).toEqual({ kind: 'command', name: 'claim', args: '' });
    expect(classifyThreadMessage('!claim', [], custom)).toEqual({ kind: 'reply' });
  });
});
