import type { Config } from './config.js';
import { ENV_FIXES } from './env-fixes.js';
import type { EnvConfig, FileConfig } from './schema.js';

/** Customer channels: WhatsApp (all four variables or none) and the HTTP API; at least one. */
export function readCustomerChannels(
  e: EnvConfig,
  f: FileConfig,
  configFile: string,
  problems: string[],
): { whatsapp: Config['whatsapp']; api: Config['api'] } {
  let whatsapp: Config['whatsapp'];
  const waVars = ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const;
  const waMissing = waVars.filter((k) => !e[k]);
  if (waMissing.length && waMissing.length < waVars.length) {
    problems.push(`WhatsApp is half configured: ${waMissing.join(', ')} ${waMissing.length > 1 ? 'are' : 'is'} missing. Set all four from your Meta app (WhatsApp → API Setup; the app secret under App settings → Basic), or unset the others.`);
  } else if (!waMissing.length) {
    whatsapp = { accessToken: e.WHATSAPP_ACCESS_TOKEN!, appSecret: e.WHATSAPP_APP_SECRET!, verifyToken: e.WHATSAPP_VERIFY_TOKEN!, phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID!, apiUrl: e.WHATSAPP_API_URL.replace(/\/+$/, '') };
  }
  const sources = Object.fromEntries(Object.entries(f.api.sources).map(([k, v]) => [k, { callbackUrl: v.callback_url }]));
  let api: Config['api'];
  if (e.INBOUND_API_SECRET) api = { secret: e.INBOUND_API_SECRET, sources };
  else if (Object.keys(sources).length) problems.push(`${configFile}: api.sources are configured but INBOUND_API_SECRET is not set, so /api/messages would stay off. ${ENV_FIXES.INBOUND_API_SECRET}`);
  if (!whatsapp && !api && !problems.some((p) => p.startsWith('WhatsApp'))) {
    problems.push('No customer channel is configured, so no customer can reach the desk. Set the four WHATSAPP_* variables, or INBOUND_API_SECRET for the HTTP API (POST /api/messages).');
  }
  return { whatsapp, api };
}
