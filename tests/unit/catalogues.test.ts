import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { LANGUAGES, parseLanguage, pickLanguage } from '../../src/i18n/languages.js';
import { t } from '../../src/i18n/format.js';
import { checkCatalogues } from '../support/check-catalogues.js';
import { actorOf } from '../../src/bot/telegram/to-update.js';

const others = Object.fromEntries(LANGUAGES.filter((l) => l.tag !== 'en').map((l) => [l.tag, l.messages as Record<string, string>]));

describe('message catalogues', () => {
  it('every language has every key of en, with the same placeholders and plural/select arguments', () => {
    expect(checkCatalogues(en, others)).toEqual([]);
  });

  it('names the key when a language misses one', () => {
    const { ['failure.not_claimer']: _removed, ...zh } = others['zh-CN']!;
    expect(checkCatalogues(en, { 'zh-CN': zh })).toEqual(['zh-CN: "failure.not_claimer" is missing. Add it to src/i18n/zh-CN/failures.ts.']);
  });

  it('names the key when a variable or a plural argument differs', () => {
    const zh = { ...others['zh-CN']!, 'failure.not_claimer': '{who} 认领了', 'failure.import_invalid': '{count} 行有问题：{rows}' };
    const problems = checkCatalogues(en, { 'zh-CN': zh });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^zh-CN: "failure\.not_claimer" has placeholders who:argument, but en has holder:argument, p:argument\.$/);
    expect(problems[1]).toMatch(/^zh-CN: "failure\.import_invalid" has placeholders count:argument, rows:argument, but en has count:plural, rows:argument\.$/);
  });

  it('names a message that does not parse and a key en does not have', () => {
    const zh = { ...others['zh-CN']!, 'failure.seat_exists': '{seat 已经有坐席了。', 'failure.extra': 'x' };
    const problems = checkCatalogues(en, { 'zh-CN': zh });
    expect(problems[0]).toMatch(/^zh-CN: "failure\.seat_exists" does not parse/);
    expect(problems[1]).toBe('zh-CN: "failure.extra" is not in en. Remove it or add it to a file of src/i18n/en/ first.');
  });

  it('formats variables and plurals per language', () => {
    expect(t('en', 'reply.imported', { count: 1 })).toBe('Imported 1 seat.');
    expect(t('en', 'reply.imported', { count: 3 })).toBe('Imported 3 seats.');
    expect(t('zh-CN', 'reply.imported', { count: 3 })).toBe('已导入 3 个坐席。');
    expect(t('zh', 'header.status_claimed', { assignee: 'Ana' })).toBe('🟢 已由 Ana 认领');
  });

  it('reads the tags people and platforms write', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh_cn', 'zh-hans-cn']) expect(parseLanguage(tag), tag).toBe('zh-CN');
    for (const tag of ['en', 'en-US', 'en-GB']) expect(parseLanguage(tag), tag).toBe('en');
    expect(parseLanguage('fr')).toBeUndefined();
    expect(parseLanguage('zh-TW')).toBeUndefined();
    // A platform's field can arrive as anything (a fuzzed Telegram language_code was a number and broke the request).
    expect(parseLanguage(123 as unknown as string)).toBeUndefined();
    expect(actorOf({ id: 7, is_bot: false, first_name: 'Li', language_code: 5 as unknown as string })).toEqual({ platform: 'telegram', userId: '7', name: 'Li' });
    expect(actorOf({ id: 7, is_bot: false, first_name: 'Li', language_code: 'zh-hans' }).locale).toBe('zh-hans');
    expect(pickLanguage('fr', undefined, 'zh')).toBe('zh-CN');
    expect(pickLanguage('fr')).toBe('en');
  });
});
