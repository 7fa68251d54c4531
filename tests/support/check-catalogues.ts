import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { enAnswers } from '../../src/i18n/en/answers.js';
import { enCommands } from '../../src/i18n/en/commands.js';
import { enFailures } from '../../src/i18n/en/failures.js';
import { enThread } from '../../src/i18n/en/thread.js';
import { enUsage } from '../../src/i18n/en/usage.js';
import { enReplies } from '../../src/i18n/en/replies.js';

/** The file (under src/i18n/<lang>/) each key lives in: the English part that has it. */
const PART_OF = new Map(Object.entries({ answers: enAnswers, commands: enCommands, failures: enFailures, thread: enThread, usage: enUsage, replies: enReplies })
  .flatMap(([part, messages]) => Object.keys(messages).map((key) => [key, part] as const)));

/** A catalogue as the check sees it: key → ICU message. */
export type AnyCatalogue = Readonly<Record<string, string>>;

/** What one placeholder is: a plain `{x}`, or a `plural`/`select`/`number`/`date`… argument. */
type ArgKind = 'argument' | 'number' | 'date' | 'time' | 'select' | 'plural' | 'selectordinal';

/** Every placeholder of a parsed message with its kind, branch bodies included. */
function argsOf(elements: readonly MessageFormatElement[], into = new Map<string, Set<ArgKind>>()): Map<string, Set<ArgKind>> {
  const add = (name: string, kind: ArgKind) => into.set(name, (into.get(name) ?? new Set()).add(kind));
  for (const e of elements) {
    switch (e.type) {
      case TYPE.argument: add(e.value, 'argument'); break;
      case TYPE.number: add(e.value, 'number'); break;
      case TYPE.date: add(e.value, 'date'); break;
      case TYPE.time: add(e.value, 'time'); break;
      case TYPE.select:
        add(e.value, 'select');
        for (const o of Object.values(e.options)) argsOf(o.value, into);
        break;
      case TYPE.plural:
        add(e.value, e.pluralType === 'ordinal' ? 'selectordinal' : 'plural');
        for (const o of Object.values(e.options)) argsOf(o.value, into);
        break;
      case TYPE.tag: argsOf(e.children, into); break;
      default: break;
    }
  }
  return into;
}

function describeArgs(args: Map<string, Set<ArgKind>>): string {
  const parts = [...args].sort(([a], [b]) => a.localeCompare(b)).map(([name, kinds]) => `${name}:${[...kinds].sort().join('|')}`);
  return parts.length ? parts.join(', ') : '(none)';
}

/**
 * Every way the catalogues disagree with the source (`en`): a key missing
 * or extra, a message that does not parse, placeholders (names, and
 * plural/select kinds) that differ. Each problem names the language and key.
 */
export function checkCatalogues(source: AnyCatalogue, others: Readonly<Record<string, AnyCatalogue>>): string[] {
  const problems: string[] = [];
  const parsed = (lang: string, key: string, text: string) => {
    try {
      return argsOf(parse(text, { ignoreTag: true }));
    } catch (e) {
      problems.push(`${lang}: "${key}" does not parse as ICU MessageFormat (${(e as Error).message}).`);
      return undefined;
    }
  };
  const sourceArgs = new Map(Object.entries(source).map(([key, text]) => [key, parsed('en', key, text)]));
  for (const [lang, catalogue] of Object.entries(others)) {
    for (const key of Object.keys(source)) {
      if (!Object.hasOwn(catalogue, key)) { problems.push(`${lang}: "${key}" is missing. Add it to src/i18n/${lang}/${PART_OF.get(key) ?? '<part>'}.ts.`); continue; }
      const mine = parsed(lang, key, catalogue[key]!);
      const theirs = sourceArgs.get(key);
      if (mine && theirs && describeArgs(mine) !== describeArgs(theirs)) {
        problems.push(`${lang}: "${key}" has placeholders ${describeArgs(mine)}, but en has ${describeArgs(theirs)}.`);
      }
    }
    for (const key of Object.keys(catalogue)) {
      if (!Object.hasOwn(source, key)) problems.push(`${lang}: "${key}" is not in en. Remove it or add it to a file of src/i18n/en/ first.`);
    }
  }
  return problems;
}
