/** Discord's epoch (2015-01-01): a snowflake's top 42 bits are milliseconds since then. */
const EPOCH = 1420070400000n;
let last = 0n;

/**
 * A new snowflake, increasing within the process (time in the top bits, an
 * increment below), so ids sort in creation order as on Discord and
 * `?after=` queries work.
 */
export function nextSnowflake(at = Date.now()): string {
  let id = (BigInt(at) - EPOCH) << 22n;
  if (id <= last) id = last + 1n;
  last = id;
  return id.toString();
}

/** When a snowflake was made (ms since the Unix epoch). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + EPOCH);
}

/** `a < b` for snowflakes of any length. */
export function snowflakeLess(a: string, b: string): boolean {
  return BigInt(a) < BigInt(b);
}
