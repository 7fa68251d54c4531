/**
 * Arguments of a command as words and `key=value` options. Quotes group words
 * (`reason="on leave"`); mention markup of any messenger (`<@U123>`,
 * `<@123456>`, `<@!123>`, `@name`) is taken out, because mentions arrive
 * separately as user ids.
 */
export interface ParsedArgs {
  words: string[];
  options: Record<string, string>;
  /** Everything after the options and mentions, as typed (a reason). */
  rest: string;
}

const MENTION = /^(<@[!&]?[A-Z0-9]+(\|[^>]*)?>|@\S+)$/i;

export function parseArgs(text: string): ParsedArgs {
  const tokens = [...text.matchAll(/"([^"]*)"|(\S+="[^"]*")|(\S+)/g)].map((m) => m[0]);
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (const token of tokens) {
    if (MENTION.test(token)) continue;
    const kv = /^([a-z_]+)=(.*)$/i.exec(token);
    if (kv) options[kv[1]!.toLowerCase()] = kv[2]!.replace(/^"|"$/g, '');
    else words.push(token.replace(/^"|"$/g, ''));
  }
  return { words, options, rest: words.join(' ') };
}
