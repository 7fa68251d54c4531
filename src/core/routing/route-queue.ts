/**
 * Which queue a new conversation opens in (SPEC §7): the routing rules in
 * order, first match wins, no match → the default queue. Pure: the rules are
 * data, and so is what is matched against them.
 */

/** One rule of `routing.rules`: every condition it names must hold. */
export interface RoutingRule {
  queue: string;
  /** The customer channel (`whatsapp`, `wechat`, `webchat`, `telegram`, `api`). */
  channel?: string;
  /** The channel's account: a WhatsApp phone number id, a WeChat open_kfid, an API source, a web chat `data-queue`. */
  account?: string;
  /** Case-insensitive substrings of the customer's first message; any one matches. */
  keywords?: string[];
  /** Customer tags; any one matches. */
  customerTags?: string[];
}

/** What a rule is matched against: the conversation's first message and its customer. */
export interface RoutingInput {
  channel: string;
  account: string;
  text: string;
  customerTags: readonly string[];
}

/**
 * Text as matched: NFKC folds full-width forms (`＃退款`, `ＲＥＦＵＮＤ`, common on
 * Chinese keyboards) into their plain ones, then lower case.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Whether every condition of `rule` holds for `input` (keywords are compared folded). */
export function ruleMatches(rule: RoutingRule, input: RoutingInput): boolean {
  if (rule.channel !== undefined && rule.channel !== input.channel) return false;
  if (rule.account !== undefined && rule.account !== input.account) return false;
  if (rule.keywords) {
    const text = foldText(input.text);
    if (!rule.keywords.some((k) => text.includes(foldText(k)))) return false;
  }
  if (rule.customerTags) {
    const tags = new Set(input.customerTags.map(foldTag));
    if (!rule.customerTags.some((t) => tags.has(foldTag(t)))) return false;
  }
  return true;
}

/** The queue of the first matching rule, or `defaultQueue`. */
export function routeQueue(rules: readonly RoutingRule[], input: RoutingInput, defaultQueue: string): string {
  return rules.find((r) => ruleMatches(r, input))?.queue ?? defaultQueue;
}

/** A tag as stored and compared: folded, without a leading `#`, trimmed. */
export function foldTag(tag: string): string {
  return foldText(tag).replace(/^#+/, '').trim();
}

/** Hashtag: `#` then letters (any script), digits, `_` or `-`; not inside a word or after `/` (a URL's fragment). */
const HASHTAG = /(?:^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}_-]{1,40})/gu;
/** Every character that is `#` after NFKC normalization (checked over all of Unicode). */
const NUMBER_SIGN = /[#\uFE5F\uFF03]/;

/** The hashtags of a customer's text (`#urgent`, `#催单`), folded, each once, in order. */
export function hashtagsOf(text: string): string[] {
  // Most texts have none: without a number sign (or one NFKC makes one: ＃ U+FF03, ﹟ U+FE5F)
  // there is nothing to normalize and scan.
  if (!NUMBER_SIGN.test(text)) return [];
  return [...new Set([...text.normalize('NFKC').matchAll(HASHTAG)].map((m) => foldTag(m[1]!)))];
}
