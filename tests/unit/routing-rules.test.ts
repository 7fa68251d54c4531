import { describe, expect, it } from 'vitest';
import { hashtagsOf, routeQueue, type RoutingInput, type RoutingRule } from '../../src/core/routing/route-queue.js';

/** The rules of SPEC §7's example, plus an account rule for the API. */
const RULES: RoutingRule[] = [
  { queue: 'refunds', keywords: ['#refund', '#退换货', '退款'] },
  { queue: 'vip', customerTags: ['vip'] },
  { queue: 'wechat-sales', channel: 'wechat', account: 'wkAbCdEf' },
  { queue: 'crm', channel: 'api', account: 'crm' },
  { queue: 'whatsapp-orders', channel: 'whatsapp', keywords: ['order'] },
];

const input = (o: Partial<RoutingInput>): RoutingInput => ({ channel: 'whatsapp', account: '1555', text: 'hello', customerTags: [], ...o });

describe('routing rules (first match wins, no match → default)', () => {
  it.each<[string, Partial<RoutingInput>, string]>([
    ['a hashtag keyword', { text: 'I want a #refund please' }, 'refunds'],
    ['a keyword in another case', { text: 'MY #REFUND' }, 'refunds'],
    ['a Chinese hashtag', { text: '我要 #退换货' }, 'refunds'],
    ['a Chinese keyword inside a sentence', { text: '请问怎么退款？' }, 'refunds'],
    ['a full-width hashtag (Chinese keyboards)', { text: '＃ＲＥＦＵＮＤ' }, 'refunds'],
    ['a customer tag', { customerTags: ['vip'] }, 'vip'],
    ['a customer tag in another case', { customerTags: ['VIP'] }, 'vip'],
    ['an earlier rule beats a later one', { text: '#refund', customerTags: ['vip'] }, 'refunds'],
    ['channel and account together', { channel: 'wechat', account: 'wkAbCdEf' }, 'wechat-sales'],
    ['the same channel with another account', { channel: 'wechat', account: 'wkOTHER' }, 'default'],
    ['the same account on another channel', { channel: 'webchat', account: 'wkAbCdEf' }, 'default'],
    ['an API source', { channel: 'api', account: 'crm' }, 'crm'],
    ['channel and keyword both needed', { channel: 'whatsapp', text: 'where is my order' }, 'whatsapp-orders'],
    ['the keyword on another channel', { channel: 'api', account: 'shop', text: 'where is my order' }, 'default'],
    ['nothing matching', { text: 'hello there' }, 'default'],
    ['a keyword that is only part of a longer hashtag still matches (substring)', { text: '#refunds' }, 'refunds'],
  ])('%s', (_name, o, queue) => {
    expect(routeQueue(RULES, input(o), 'default')).toBe(queue);
  });

  it('with no rules, everything lands in the default queue', () => {
    expect(routeQueue([], input({ text: '#refund' }), 'default')).toBe('default');
  });
});

describe('hashtags of a customer text', () => {
  it.each<[string, string[]]>([
    ['#urgent please', ['urgent']],
    ['快点 #催单 #急', ['催单', '急']],
    ['#Urgent and #URGENT again', ['urgent']],
    ['a link https://example.com/#section and a#b', []],
    ['＃急', ['急']],
    // The small number sign is `#` after NFKC too: a text with only it still has its tag.
    ['\uFE5Fvip', ['vip']],
    ['no tags here', []],
    ['#order-123 #x_y', ['order-123', 'x_y']],
  ])('%s', (text, tags) => {
    expect(hashtagsOf(text)).toEqual(tags);
  });
});
