import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../runtime/logger.js';

/** bolt's logger interface on top of pino. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.WARN;
  return {
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => log.error(m.map(String).join(' ')),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => {},
  };
}
