/** What to do about a bad variable of the desk's own, beyond zod's message (modules declare theirs). */
export const ENV_FIXES: Record<string, string> = {
  PORT: 'Set PORT to a port number such as 3000.',
  REDIS_URL: 'Set REDIS_URL like redis://127.0.0.1:6379, or unset it to use the embedded store in DATA_DIR.',
  METRICS_TOKEN: 'Set METRICS_TOKEN to a long random string (openssl rand -hex 24) and give Prometheus the same as its bearer token, or unset it to leave /metrics open.',
  REDIS_PREFIX: 'Set REDIS_PREFIX to a short name of this install ending with ":", such as acme-support:, or unset it for the default threaddesk:.',
};
