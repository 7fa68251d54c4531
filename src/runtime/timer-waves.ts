/** The subject of a timer id (`sla-first:c1` → `c1`; see timerIdOf), or the whole id. */
function subjectOf(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(colon + 1);
}

/** `items` in order, in groups of at most `size` with no subject twice in a group. */
export function waves<T extends { member: string }>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  let rest = [...items];
  while (rest.length) {
    const wave: T[] = [];
    const subjects = new Set<string>();
    const later: T[] = [];
    for (const item of rest) {
      const subject = subjectOf(item.member);
      if (wave.length < size && !subjects.has(subject)) { wave.push(item); subjects.add(subject); } else later.push(item);
    }
    out.push(wave);
    rest = later;
  }
  return out;
}
