import { z } from 'zod';
import { defineChannel } from '../channel-module.js';
import { API_BUDGETS } from './budgets.js';
import { ApiDeliverer } from './deliver.js';
import { apiRoutes } from './routes.js';
import { FileLinks } from './file-links.js';
import { fileRoute } from './file-route.js';
import { MB } from '../../core/files/file-limits.js';
import { securityEventRoutes } from './security-events.js';
import { statsRoutes } from './stats-route.js';

const SECRET_FIX = 'Generate one with `openssl rand -hex 32` and give it to the systems that call /api/messages.';

/** The generic HTTP API: signed `POST /api/messages` in, signed callbacks out; also the security events' door. */
export const apiChannel = defineChannel({
  id: 'api',
  label: 'API',
  labelWithAccount: true,
  env: {
    INBOUND_API_SECRET: z.string().min(16, 'at least 16 characters').optional(),
    API_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  },
  envFixes: { INBOUND_API_SECRET: SECRET_FIX, API_PUBLIC_URL: 'Give the address the receiving systems reach the bot at, such as https://desk.example.com (links to agents\' files in callbacks start with it).' },
  howToEnable: 'INBOUND_API_SECRET for the HTTP API (POST /api/messages)',
  read({ values: e, file, configFile }, problems) {
    const sources = Object.fromEntries(Object.entries(file.api.sources).map(([k, v]) => [k, { callbackUrl: v.callback_url }]));
    if (e.INBOUND_API_SECRET) return { mentioned: true, settings: { secret: e.INBOUND_API_SECRET, sources, publicUrl: (e.API_PUBLIC_URL ?? '').replace(/\/+$/, '') } };
    if (Object.keys(sources).length) {
      problems.push(`${configFile}: api.sources are configured but INBOUND_API_SECRET is not set, so /api/messages would stay off. ${SECRET_FIX}`);
    }
    // Sources in the file alone do not turn the API on: "no customer channel" is still said.
    return { mentioned: false };
  },
  // Any system can answer at any time: no window. Long texts are the receiver's business.
  textLimit: 100_000,
  // Files go as links the receiver fetches through the bot: any type, within what the messengers give.
  fileLimits: [{ kind: 'document', mimes: 'any', maxBytes: 100 * MB }],
  budgets: API_BUDGETS,
  create({ secret, sources, publicUrl }, { desk, log, metrics, monitor, fetchAgentFile }) {
    const links = new FileLinks(secret);
    return {
      deliverer: new ApiDeliverer(secret, sources, desk, { links, baseUrl: publicUrl }),
      routes: [...apiRoutes({ secret, sources, desk, log, metrics }), fileRoute({ links, clock: desk.clock, fetchAgentFile, log }), ...securityEventRoutes({ secret, monitor, log }), ...statsRoutes({ secret, desk, log })],
    };
  },
});
