import { z } from 'zod';
import { defineMessenger } from '../../../src/bot/messenger-module.js';
import type { Budget } from '../../../src/core/outbox/budgets.js';
import { createEchoAdapter } from './adapter.js';

const CHANNEL = /^E-[A-Z0-9-]+$/;

/** Echo has no published limits; one call at a time per destination keeps the order the outbox gives. */
const ECHO_BUDGETS: Record<string, Budget> = {
  /** Posts into one channel (thread openings included). */
  'echo:post': { minTimeMs: 0, maxConcurrent: 1 },
  /** Header edits and delivered marks in one channel. */
  'echo:edit': { minTimeMs: 0, maxConcurrent: 1 },
  /** Private messages and DMs to one person. */
  'echo:person': { minTimeMs: 0, maxConcurrent: 1 },
};

const FIXES = {
  ECHO_API_URL: 'Use the Echo server\'s base URL, such as http://127.0.0.1:8080.',
  ECHO_SECRET: 'Copy the bot\'s secret from the Echo server (it signs events and authorises API calls).',
  ECHO_CHANNEL: 'Use the id of the Echo channel agents work in (E-…).',
};

/**
 * Echo, a messenger defined entirely in tests/: registered next to the
 * shipped modules (`{ messengers: [...MODULES.messengers, echoMessenger] }`),
 * it runs the core-loop scenario with no edit in src/.
 */
export const echoMessenger = defineMessenger({
  id: 'echo',
  label: 'Echo',
  env: {
    ECHO_API_URL: z.url({ protocol: /^https?$/ }).optional(),
    ECHO_SECRET: z.string().min(8, 'at least 8 characters').optional(),
    ECHO_CHANNEL: z.string().regex(CHANNEL, 'a channel id such as E-SUPPORT').optional(),
  },
  envFixes: FIXES,
  howToEnable: 'ECHO_API_URL, ECHO_SECRET and ECHO_CHANNEL',
  read({ given, values: e }, problems) {
    const mentioned = ['ECHO_API_URL', 'ECHO_SECRET', 'ECHO_CHANNEL'].some((k) => given[k] !== undefined);
    if (!mentioned) return { mentioned };
    for (const key of ['ECHO_API_URL', 'ECHO_SECRET', 'ECHO_CHANNEL'] as const) {
      if (given[key] === undefined) problems.push(`${key} is missing. ${FIXES[key]}`);
    }
    if (!e.ECHO_API_URL || !e.ECHO_SECRET || !e.ECHO_CHANNEL) return { mentioned };
    return { mentioned, settings: { apiUrl: e.ECHO_API_URL, secret: e.ECHO_SECRET, channel: e.ECHO_CHANNEL } };
  },
  queueChannel: { key: 'echo_channel', schema: z.string().regex(CHANNEL, 'an Echo channel id such as E-SUPPORT'), defaultOf: (s) => s.channel },
  userIds: { pattern: /^[A-Za-z0-9_-]+$/, example: 'echo:EAGENT (the Echo user id)' },
  budgets: ECHO_BUDGETS,
  create: (settings, ctx) => createEchoAdapter({ ...settings, ...ctx }),
});
