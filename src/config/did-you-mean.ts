/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest of `known` within 2 edits (case ignored), or undefined. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = levenshtein(word.toLowerCase(), name.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** `(did you mean "x"?)`, or nothing when no known name is close. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const guess = closest(word, known);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/**
 * Variables set in the environment that are not threaddesk's but within 2
 * edits of one of its names (`SLACK_BOT_TOKN`): a typo that would silently
 * leave a feature off. Only names written like ours (capitals with an
 * underscore) are looked at, so HOME, PATH or HOSTNAME are never taken for HOST.
 */
export function misspeltEnvNames(given: Iterable<string>, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const name of given) {
    if (known.has(name) || !/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name)) continue;
    const guess = closest(name, known);
    if (guess && guess.toLowerCase() !== name.toLowerCase()) problems.push(`${name} is not a variable threaddesk reads (did you mean ${guess}?). Rename it, or remove it if it belongs to something else.`);
  }
  return problems;
}
