/** Reads a string argument; form bodies carry numbers and booleans as strings too. */
export function stringArg(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reads a boolean argument sent as `true`, `"true"` or `"1"`. */
export function boolArg(args: Record<string, unknown>, key: string): boolean | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true' || value === '1' || value === 1;
}

/**
 * Reads a structured argument: a JSON string in form bodies (WebClient
 * JSON-stringifies nested values), a plain value in JSON bodies.
 * Returns `{ invalid: true }` when the string is not JSON.
 */
export function jsonArg(args: Record<string, unknown>, key: string): { value?: unknown; invalid?: true } {
  const value = args[key];
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string') return { value };
  try {
    return { value: JSON.parse(value) as unknown };
  } catch {
    return { invalid: true };
  }
}
