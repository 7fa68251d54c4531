import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../runtime/logger.js';

const LEVELS: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt's, the Web API client's and Socket Mode's own log lines, as JSON
 * lines of the desk's pino logger (`part: 'slack-sdk'`): they take a
 * `logger` option with this interface, and without it print plain text to
 * the console. Their level follows the desk's; a message given as several
 * arguments is joined with spaces, as their console logger does.
 */
export function slackLoggerFor(log: Logger): SlackLogger {
  const child = log.child({ part: 'slack-sdk' });
  let name: string | undefined;
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    child[level](name ? { sdk: name } : {}, msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' '));
  };
  return {
    debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'),
    // The desk's LOG_LEVEL rules; the SDKs' own level setting is kept only to answer getLevel.
    setLevel: () => {},
    getLevel: () => LEVELS.find((l) => l === child.level) ?? LogLevel.INFO,
    setName: (n: string) => { name = n; },
  };
}

/** A logger that drops everything (the doctor prints its own findings; the client's warnings would repeat them). */
export const QUIET_SLACK_LOGGER: SlackLogger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  setLevel: () => {}, getLevel: () => LogLevel.ERROR, setName: () => {},
};
