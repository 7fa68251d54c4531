import type { RedisClient } from './redis-client.js';

/** How long closing waits for in-flight commands before dropping the connection. */
const CLOSE_GRACE_MS = 2_000;

/** Lets in-flight commands finish (up to 2 s), then drops the connection and stops reconnecting. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_GRACE_MS);
  });
  try {
    await Promise.race([client.close().catch(() => undefined), graceOver]);
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
}
