/** What a {@link RedisStore} needs besides its clients (filled in by `openRedisStore`). */
export interface RedisStoreSettings {
  /** Prefix of every key this store touches, e.g. `threaddesk:`. */
  prefix: string;
  /** Upper bound on any one operation, connected or not. */
  commandTimeoutMs: number;
  /** Redis URL without credentials, for error messages. */
  where: string;
}
