/**
 * What a message an agent writes in a conversation's thread means (SPEC §5),
 * decided from its text alone. The desk then decides, from who wrote it and
 * who holds the claim, where it goes.
 */
export type ThreadMessageKind =
  | { kind: 'command'; name: string; args: string }
  | { kind: 'note' }
  | { kind: 'mention'; mentions: string[] }
  | { kind: 'reply' };

export interface ThreadMessageRules {
  /** Prefixes that keep a message internal (default `//` and `note:`). */
  notePrefixes: readonly string[];
  /** Prefix of in-thread commands (`!claim`): Slack refuses slash commands in threads. */
  commandPrefix: string;
}

export function classifyThreadMessage(text: string, mentions: readonly string[], rules: ThreadMessageRules): ThreadMessageKind {
  const trimmed = text.trimStart();
  if (trimmed.startsWith(rules.commandPrefix)) {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed.slice(rules.commandPrefix.length));
    // Letters of any script: `!claim`, and the Chinese aliases (`!认领`) the handlers resolve.
    if (m && /^\p{L}[\p{L}-]*$/u.test(m[1]!)) return { kind: 'command', name: m[1]!.toLowerCase(), args: m[2]!.trim() };
  }
  const lower = trimmed.toLowerCase();
  if (rules.notePrefixes.some((p) => lower.startsWith(p.toLowerCase()))) return { kind: 'note' };
  // A message that mentions colleagues is internal (an escalation), never sent to the customer.
  if (mentions.length > 0) return { kind: 'mention', mentions: [...mentions] };
  return { kind: 'reply' };
}
