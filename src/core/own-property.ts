/**
 * `record[key]` for a key someone typed or sent (a queue, a template, an API
 * source, a command name): only the record's own entries count, so
 * `constructor`, `__proto__` or `toString` never resolve to what
 * `Object.prototype` carries.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
