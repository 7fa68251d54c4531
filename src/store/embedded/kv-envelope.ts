import { parseKvRow, serializeKvRow } from '../kv-row.js';

/**
 * The KV rows' format, as keyv 5 (namespace `kv`) wrote them through
 * @keyv/sqlite, kept so an existing install reads its data after the upgrade:
 * - key: `kv:<key>`; a key that already starts with `kv:` is stored as is
 *   (keyv's `_getKeyPrefix`; keyv's getMany prefixed it again, a keyv quirk
 *   not kept, so getMany finds what get finds);
 * - value: `{"value":…,"expires":<epoch ms>}` written by @keyv/serialize, which
 *   escapes strings that start with `:` by doubling the colon; `expires` is
 *   left out when the value never expires.
 */

const NAMESPACE_PREFIX = 'kv:';

/** The row key keyv used for `key`. */
export function kvRowKey(key: string): string {
  return key.startsWith(NAMESPACE_PREFIX) ? key : `${NAMESPACE_PREFIX}${key}`;
}

/** The row value for `value`, expiring at `expiresAt` (epoch ms) or never (null). */
export function encodeKvValue(value: unknown, expiresAt: number | null): string {
  return serializeKvRow(value, expiresAt);
}

interface Envelope {
  value?: unknown;
  expires?: unknown;
}

/** A row's envelope while it is live at `now`; undefined when missing or expired (keyv: once `now > expires`). */
export function liveKvEnvelope(raw: string | undefined, now: number): Envelope | undefined {
  if (raw === undefined) return undefined;
  const envelope = parseKvRow<Envelope | null>(raw);
  if (envelope == null) return undefined;
  if (typeof envelope.expires === 'number' && now > envelope.expires) return undefined;
  return envelope;
}

/** The value a row holds at `now`; undefined when the row is missing or has expired. */
export function decodeKvValue<T>(raw: string | undefined, now: number): T | undefined {
  return liveKvEnvelope(raw, now)?.value as T | undefined;
}
