import { z } from 'zod';
import { defineChannel } from '../channel-module.js';
import { WHATSAPP_BUDGETS } from './budgets.js';
import { WhatsAppDeliverer, WHATSAPP_TEXT_LIMIT, WHATSAPP_WINDOW_HOURS } from './deliver.js';
import { GraphClient } from './graph-client.js';
import { checkWhatsApp } from './doctor.js';
import { WHATSAPP_FILE_LIMITS } from './file-limits.js';
import { whatsappRoutes } from './routes.js';
import { TemplateRefresher } from './refresh-templates.js';

const VARIABLES = ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const;

/** WhatsApp Cloud API: signed webhooks in, Graph API sends out, a 24-hour customer-service window. */
export const whatsappChannel = defineChannel({
  id: 'whatsapp',
  label: 'WhatsApp',
  env: {
    WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
    WHATSAPP_APP_SECRET: z.string().min(1).optional(),
    WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
    WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'digits only (the id from the WhatsApp Manager, not the phone number)').optional(),
    WHATSAPP_API_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v21.0'),
    // Optional: without it no template is listed, and `!template` says how to turn them on.
    WHATSAPP_BUSINESS_ACCOUNT_ID: z.string().regex(/^\d+$/, 'digits only (the WhatsApp Business Account id, not the phone number id)').optional(),
  },
  envFixes: {
    WHATSAPP_PHONE_NUMBER_ID: 'Copy the Phone number ID from WhatsApp Manager → API Setup.',
    WHATSAPP_API_URL: 'Use the Graph API base including the version, such as https://graph.facebook.com/v21.0.',
    WHATSAPP_BUSINESS_ACCOUNT_ID: 'Copy the WhatsApp Business Account ID from WhatsApp Manager → Account tools (or Business settings → Accounts → WhatsApp accounts), or unset it to go without templates.',
  },
  howToEnable: 'the four WHATSAPP_* variables',
  read({ values: e }, problems) {
    // All four or none; a value that failed its own check counts as missing here too.
    const missing = VARIABLES.filter((k) => !e[k]);
    if (missing.length === VARIABLES.length) return { mentioned: false };
    if (missing.length) {
      problems.push(`WhatsApp is half configured: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. Set all four from your Meta app (WhatsApp → API Setup; the app secret under App settings → Basic), or unset the others.`);
      return { mentioned: true };
    }
    if (!e.WHATSAPP_ACCESS_TOKEN || !e.WHATSAPP_APP_SECRET || !e.WHATSAPP_VERIFY_TOKEN || !e.WHATSAPP_PHONE_NUMBER_ID || !e.WHATSAPP_API_URL) return { mentioned: true };
    return { mentioned: true, settings: { accessToken: e.WHATSAPP_ACCESS_TOKEN, appSecret: e.WHATSAPP_APP_SECRET, verifyToken: e.WHATSAPP_VERIFY_TOKEN, phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID, apiUrl: e.WHATSAPP_API_URL.replace(/\/+$/, ''), ...(e.WHATSAPP_BUSINESS_ACCOUNT_ID ? { wabaId: e.WHATSAPP_BUSINESS_ACCOUNT_ID } : {}) } };
  },
  replyWindowMs: WHATSAPP_WINDOW_HOURS * 3600_000,
  textLimit: WHATSAPP_TEXT_LIMIT,
  fileLimits: WHATSAPP_FILE_LIMITS,
  budgets: WHATSAPP_BUDGETS,
  create(wa, { desk, store, log, metrics, reportSendFailure, fetchAgentFile }) {
    const graph = new GraphClient(wa.apiUrl, wa.accessToken);
    const clog = log.child({ channel: 'whatsapp' });
    const templates = wa.wabaId ? new TemplateRefresher(graph, wa.wabaId, store, () => desk.clock.now(), clog) : undefined;
    templates?.start();
    const deliverer = new WhatsAppDeliverer(graph, desk, wa.phoneNumberId, clog, store, fetchAgentFile, templates);
    return {
      stop: async () => { await templates?.stop(); },
      deliverer,
      routes: whatsappRoutes({ appSecret: wa.appSecret, verifyToken: wa.verifyToken, phoneNumberId: wa.phoneNumberId, desk, store, log, metrics, reportSendFailure }),
      fetchMedia: (conv, a) => deliverer.fetchMedia(conv, a),
    };
  },
  doctor: (wa, ctx) => checkWhatsApp(wa, ctx),
});
