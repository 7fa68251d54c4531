import { en } from './en.js';
import { zhCN, zhCNAliases } from './zh-CN.js';

/**
 * The languages the desk speaks. Adding one is a catalogue file (typed against
 * `en`) and one line here: its tag, the tags people and platforms write for
 * it (lower case; `*` ends a prefix), its messages, and its words for the
 * thread commands (aliases).
 */
export const LANGUAGES = [
  { tag: 'en', accepts: ['en', 'en-*'], messages: en, aliases: {} },
  { tag: 'zh-CN', accepts: ['zh', 'zh-cn', 'zh-hans', 'zh-hans-*', 'zh-sg'], messages: zhCN, aliases: zhCNAliases },
] as const;

/** A language the desk speaks (`en`, `zh-CN`). */
export type Lang = (typeof LANGUAGES)[number]['tag'];

export const DEFAULT_LANG: Lang = 'en';

/** The tags the desk speaks, for error texts ("en, zh-CN"). */
export const LANGUAGE_TAGS: readonly Lang[] = LANGUAGES.map((l) => l.tag);
const CANONICAL: ReadonlySet<string> = new Set(LANGUAGE_TAGS);

/**
 * The language a written tag means (`zh`, `zh-Hans`, `zh_CN` → `zh-CN`;
 * `en-GB` → `en`), or undefined when the desk does not speak it.
 */
export function parseLanguage(written: string | undefined): Lang | undefined {
  // Platforms' fields arrive unchecked (a mutated `language_code` may be a number): anything else is no language.
  if (typeof written !== 'string' || !written) return undefined;
  // Most callers pass a tag as the desk writes it (a queue's `en`, every header and notice): no parsing.
  if (CANONICAL.has(written)) return written as Lang;
  const tag = written.trim().toLowerCase().replace(/_/g, '-');
  for (const language of LANGUAGES) {
    if (tag === language.tag.toLowerCase()) return language.tag;
    const matches = language.accepts.some((a) => (a.endsWith('*') ? tag.startsWith(a.slice(0, -1)) : tag === a));
    if (matches) return language.tag;
  }
  return undefined;
}

/** The first of these that names a language the desk speaks, else the default. */
export function pickLanguage(...candidates: (string | undefined)[]): Lang {
  for (const c of candidates) {
    const lang = parseLanguage(c);
    if (lang) return lang;
  }
  return DEFAULT_LANG;
}
