import { IntlMessageFormat } from 'intl-messageformat';
import type { en } from './en.js';
import { LANGUAGES, pickLanguage, type Lang } from './languages.js';

/** Every message key, from the `en` catalogue (every other language `satisfies` it). */
export type MessageKey = keyof typeof en;

type Selector = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other' | 'yes' | 'no' | `=${number}`;
/** The name in a `{name}` or `{name, plural, …}` placeholder; plural/select branch bodies are skipped. */
type ArgName<A extends string> = A extends `${infer N}}${string}` ? (N extends `${infer M},${string}` ? Trim<M> : Trim<N>) : never;
type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type IsBranch<Before extends string> = Before extends `${string}${Selector}` | `${string}${Selector} ` ? true : false;
type Names<S extends string> = S extends `${infer Before}{${infer After}`
  ? (IsBranch<Before> extends true ? never : ArgName<After>) | Names<After>
  : never;
type Identifier<N> = N extends `${string}${' ' | '#' | '{' | '\''}${string}` ? never : N extends '' ? never : N;

/** A value a placeholder takes. */
export type VarValue = string | number;
/** The variables of one message, named by its `en` text (a typo is a type error). */
export type VarsOf<K extends MessageKey> = { [N in Identifier<Names<(typeof en)[K]>>]: VarValue };

/** A message as a value: what core and handlers hand on until a reader's language is known. */
export interface Message<K extends MessageKey = MessageKey> { key: K; vars?: Partial<Record<string, VarValue>> }

const cache = new Map<string, IntlMessageFormat>();

function formatterOf(lang: Lang, key: MessageKey): IntlMessageFormat {
  const id = `${lang}\u0000${key}`;
  let f = cache.get(id);
  if (!f) {
    const catalogue = (LANGUAGES.find((l) => l.tag === lang) ?? LANGUAGES[0]).messages as Record<MessageKey, string>;
    // `ignoreTag`: Slack's `<!date^…>` and `<@U…>` are text to us, not ICU rich-text tags.
    f = new IntlMessageFormat(catalogue[key], lang, undefined, { ignoreTag: true });
    cache.set(id, f);
  }
  return f;
}

/**
 * The words of `key` in `lang` (any written tag; unknown ones fall back to
 * English), with ICU variables and plurals filled in from `vars`.
 */
export function t<K extends MessageKey>(lang: string | undefined, key: K, ...vars: keyof VarsOf<K> extends never ? [] : [VarsOf<K>]): string {
  return String(formatterOf(pickLanguage(lang), key).format(vars[0] as Record<string, VarValue> | undefined));
}

/** A message value in words (its key was checked where it was made). */
export function say(lang: string | undefined, message: Message): string {
  return String(formatterOf(pickLanguage(lang), message.key).format(message.vars as Record<string, VarValue> | undefined));
}
