import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { pingRedis } from '../store/redis/ping-redis.js';
import type { Finding } from './finding.js';

/** Redis answers PING (REDIS_URL), or the embedded store's DATA_DIR can be written. */
export async function checkStore(config: { redisUrl: string | undefined; dataDir: string }, timeoutMs: number): Promise<Finding> {
  if (config.redisUrl) {
    const r = await pingRedis(config.redisUrl, timeoutMs);
    return r.ok
      ? { part: 'Redis', ok: true, said: 'answers PING' }
      : { part: 'Redis', ok: false, said: `unreachable (${r.reason})`, fix: 'Start Redis, or fix REDIS_URL (redis://host:6379, rediss:// for TLS, user:password@ when it needs a login); unset it to use the embedded store in DATA_DIR.' };
  }
  try {
    await mkdir(config.dataDir, { recursive: true });
    await access(config.dataDir, constants.W_OK);
    return { part: 'Store', ok: true, said: `embedded, in ${config.dataDir} (writable)` };
  } catch (err) {
    return { part: 'Store', ok: false, said: `DATA_DIR ${config.dataDir} cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, fix: 'Point DATA_DIR at a directory this user may write (in Docker: the /data volume), or set REDIS_URL.' };
  }
}
