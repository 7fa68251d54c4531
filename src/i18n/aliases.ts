import { LANGUAGES } from './languages.js';

/** Every language's words for the thread commands, alias → command name (`认领` → `claim`). */
const ALIASES: ReadonlyMap<string, string> = new Map(LANGUAGES.flatMap((l) => Object.entries(l.aliases as Readonly<Record<string, string>>)));

/** The command an in-thread word stands for: an alias's command, else the word itself. */
export function commandOfAlias(word: string): string {
  return ALIASES.get(word) ?? word;
}

/** The aliases of one command, in every language (`claim` → `['认领']`). */
export function aliasesOf(command: string): string[] {
  return [...ALIASES].filter(([, c]) => c === command).map(([a]) => a);
}
