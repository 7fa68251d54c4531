import { z } from 'zod';
import { defineMessenger } from '../messenger-module.js';
import type { Budget } from '../../core/outbox/budgets.js';
import { createSandboxAdapter } from './adapter.js';
import { SANDBOX, SANDBOX_AGENT } from './names.js';

const CHANNEL = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The board is in this process's store: no platform limit, one write at a time per destination keeps the outbox's order. */
const SANDBOX_BUDGETS: Record<string, Budget> = {
  /** A conversation's thread on the board: posts, header, ✓. */
  [`${SANDBOX}:board`]: { minTimeMs: 0, maxConcurrent: 1 },
  /** Private notes and DMs to the page's agent. */
  [`${SANDBOX}:person`]: { minTimeMs: 0, maxConcurrent: 1 },
};

/**
 * The sandbox messenger, for `npm run demo`: agents work in a page the bot
 * serves itself (see adapter.ts). Registered only in the demo's registry
 * (`SANDBOX_MODULES` in src/modules.ts), never in the shipped `MODULES`, so a
 * production install cannot turn it on. There it is always on: the channel
 * `support`, and one agent, `sandbox:agent`.
 */
export const sandboxMessenger = defineMessenger({
  id: SANDBOX,
  label: 'Sandbox',
  env: {},
  howToEnable: 'nothing: `npm run demo` starts it',
  read: () => ({ mentioned: true, settings: { channel: 'support', agent: SANDBOX_AGENT } }),
  queueChannel: { key: `${SANDBOX}_channel`, schema: z.string().regex(CHANNEL, 'a sandbox channel name such as support'), defaultOf: (s) => s.channel },
  userIds: { pattern: /^[A-Za-z0-9_-]{1,40}$/, example: `${SANDBOX}:agent (the page's agent)` },
  budgets: SANDBOX_BUDGETS,
  create: (settings, ctx) => createSandboxAdapter({ ...settings, ...ctx }),
});
