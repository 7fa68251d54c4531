import type { DoctorContext, Finding } from '../../doctor/finding.js';
import { GraphClient } from './graph-client.js';

/**
 * Checks the WhatsApp Cloud API settings: the access token may read the
 * phone number WHATSAPP_PHONE_NUMBER_ID names (`GET /{phone-number-id}`),
 * the number messages are sent from. Code 190 is an expired or wrong token,
 * 100 an id the token cannot see (Graph API error codes).
 */
export async function checkWhatsApp(s: { accessToken: string; phoneNumberId: string; apiUrl: string }, ctx: DoctorContext): Promise<Finding[]> {
  const part = 'WhatsApp';
  const r = await new GraphClient(s.apiUrl, s.accessToken, ctx.timeoutMs).phoneNumber(s.phoneNumberId);
  if (r.ok) return [{ part, ok: true, said: `the token may send from ${r.value.display_phone_number ?? s.phoneNumberId} (${r.value.verified_name ?? 'no verified name'}, quality ${r.value.quality_rating ?? 'unknown'})` }];
  const e = r.error;
  if (e.code === 190 || e.httpStatus === 401) return [{ part, ok: false, said: `the access token was refused: ${e.message}`, fix: 'Create a System User token with whatsapp_business_messaging (Business Settings → System users → Generate token; temporary tokens expire in 24 h) into WHATSAPP_ACCESS_TOKEN.' }];
  if (e.code === 100 || e.httpStatus === 404) return [{ part, ok: false, said: `phone number ${s.phoneNumberId} is unknown to this token: ${e.message}`, fix: 'Copy the Phone number ID (not the phone number) from your Meta app → WhatsApp → API Setup into WHATSAPP_PHONE_NUMBER_ID, and make sure the token\'s system user has the WhatsApp account assigned.' }];
  return [{ part, ok: false, said: `the Graph API answered ${e.httpStatus}: ${e.message}`, fix: 'Check WHATSAPP_API_URL (it includes the version, e.g. https://graph.facebook.com/v21.0) and the network, then run the doctor again.' }];
}
