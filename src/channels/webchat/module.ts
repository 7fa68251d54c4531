import { z } from 'zod';
import { defineChannel } from '../channel-module.js';
import { WEBCHAT_BUDGETS } from './budgets.js';
import { WebchatDeliverer } from './deliver.js';
import { DEFAULT_LIMITS } from './limits.js';
import { WebchatFiles } from './files.js';
import { LiveHub } from './live-hub.js';
import { parseOrigins, type OriginPattern } from './origins.js';
import { webchatRoutes } from './routes.js';
import { WebchatSessions } from './sessions.js';
import { uploadRoutes } from './upload-routes.js';
import { WEBCHAT_FILE_LIMITS } from './keep-agent-files.js';

interface WebchatSettings {
  origins: OriginPattern[];
  identitySecret?: string;
  /** WEBCHAT_TRUST_PROXY: reverse proxies in front of the desk (0: the socket's peer is the visitor). */
  trustedProxies: number;
}

const ORIGINS_FIX = 'List the sites that embed the widget, comma-separated, like WEBCHAT_ORIGINS=https://shop.example.com,https://*.example.com';

/** Web chat (SPEC §12): the widget's files under `/chat/`, its live socket, and delivery to visitors. */
export const webchatChannel = defineChannel({
  id: 'webchat',
  label: 'Web chat',
  env: {
    WEBCHAT_ORIGINS: z.string().optional(),
    WEBCHAT_IDENTITY_SECRET: z.string().min(16, 'at least 16 characters').optional(),
    WEBCHAT_TRUST_PROXY: z.string().regex(/^\d{1,2}$/, 'a whole number of proxies').optional(),
  },
  envFixes: {
    WEBCHAT_ORIGINS: ORIGINS_FIX,
    WEBCHAT_IDENTITY_SECRET: 'Generate one with `openssl rand -hex 32` and give it to the site that signs logged-in visitors.',
    WEBCHAT_TRUST_PROXY: 'Set WEBCHAT_TRUST_PROXY to how many reverse proxies stand in front of the desk (1 for one nginx or load balancer), or 0 (the default) when visitors connect directly. With n, the per-IP limits take the visitor\'s address from the n-th X-Forwarded-For entry from the right.',
  },
  howToEnable: 'WEBCHAT_ORIGINS for the web chat widget (/chat/widget.js)',
  read({ values: e }, problems) {
    if (!e.WEBCHAT_ORIGINS) {
      if (e.WEBCHAT_IDENTITY_SECRET) problems.push(`WEBCHAT_IDENTITY_SECRET is set but WEBCHAT_ORIGINS is not, so web chat stays off. ${ORIGINS_FIX}`);
      return { mentioned: false };
    }
    const { patterns, problems: bad } = parseOrigins(e.WEBCHAT_ORIGINS);
    for (const b of bad) problems.push(`WEBCHAT_ORIGINS: ${b}.`);
    if (bad.length || !patterns.length) {
      if (!bad.length) problems.push(`WEBCHAT_ORIGINS names no origin. ${ORIGINS_FIX}`);
      return { mentioned: true };
    }
    const trustedProxies = Number(e.WEBCHAT_TRUST_PROXY ?? 0);
    return { mentioned: true, settings: { origins: patterns, trustedProxies, ...(e.WEBCHAT_IDENTITY_SECRET ? { identitySecret: e.WEBCHAT_IDENTITY_SECRET } : {}) } satisfies WebchatSettings };
  },
  // An agent's edit or delete becomes a history line the widget applies to the reply (deliver-change.ts).
  changesReplies: true,
  // The visitor's history keeps whatever length an agent writes; the widget wraps it.
  textLimit: 100_000,
  budgets: WEBCHAT_BUDGETS,
  fileLimits: WEBCHAT_FILE_LIMITS,
  create({ origins, identitySecret, trustedProxies }: WebchatSettings, { desk, store, log, metrics, fetchAgentFile }) {
    const markRead = async (convId: string, agentMessageId: string) => {
      const conv = await desk.conversations.get(convId);
      if (conv) await desk.markDelivered(conv, agentMessageId, 'read');
    };
    const hub = new LiveHub({ desk, store, log, metrics, origins, identitySecret, trustedProxies, markRead, limits: DEFAULT_LIMITS });
    const files = new WebchatFiles(store);
    return {
      routes: [
        ...webchatRoutes({ origins, maxChars: DEFAULT_LIMITS.maxTextChars }),
        ...uploadRoutes({ files, sessions: new WebchatSessions(store), origins, identitySecret, log }),
      ],
      upgrades: [{ path: '/chat/socket', handle: (req, socket, head) => hub.upgrade(req, socket, head) }],
      deliverer: new WebchatDeliverer(desk, store, (visitorId) => hub.notify(visitorId), { files: new WebchatFiles(store), fetch: fetchAgentFile }),
      showTyping: (conv, agentName) => hub.typing(conv.customer.id, agentName),
      stop: () => hub.close(),
      fetchMedia: async (_conv, a) => {
        const f = a.mediaId ? await files.read(a.mediaId) : undefined;
        return f ? { bytes: f.bytes, fileName: f.name } : undefined;
      },
    };
  },
});
