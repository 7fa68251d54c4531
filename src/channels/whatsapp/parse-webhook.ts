import { z } from 'zod';

/**
 * The Cloud API webhook envelope (platform-facts.md §1): messages, statuses
 * and errors under `entry[].changes[].value`. Parsed loosely where Meta adds
 * fields, strictly where the desk reads them.
 */
const media = z.object({ id: z.string(), mime_type: z.string().optional(), sha256: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });

export const inboundMessage = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  sticker: media.optional(),
  context: z.object({ id: z.string().optional() }).optional(),
});
export type WhatsAppInboundMessage = z.infer<typeof inboundMessage>;

export const statusUpdate = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});
export type WhatsAppStatus = z.infer<typeof statusUpdate>;

const value = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string() }),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(inboundMessage).optional(),
  statuses: z.array(statusUpdate).optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

export const webhookEnvelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ id: z.string(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

export interface ParsedWebhook {
  messages: { phoneNumberId: string; name: string | undefined; message: WhatsAppInboundMessage }[];
  statuses: { phoneNumberId: string; status: WhatsAppStatus }[];
  /** Changes the desk does not read (other fields, unknown shapes): logged once, acknowledged. */
  skipped: string[];
}

export function parseWebhook(body: unknown): ParsedWebhook | undefined {
  const env = webhookEnvelope.safeParse(body);
  if (!env.success) return undefined;
  const out: ParsedWebhook = { messages: [], statuses: [], skipped: [] };
  for (const entry of env.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') { out.skipped.push(`field ${change.field}`); continue; }
      const v = value.safeParse(change.value);
      if (!v.success) { out.skipped.push('unreadable messages value'); continue; }
      const phoneNumberId = v.data.metadata.phone_number_id;
      for (const message of v.data.messages ?? []) {
        const name = v.data.contacts?.find((c) => c.wa_id === message.from)?.profile?.name;
        out.messages.push({ phoneNumberId, name, message });
      }
      for (const status of v.data.statuses ?? []) out.statuses.push({ phoneNumberId, status });
      for (const e of v.data.errors ?? []) out.skipped.push(`system error ${e.code}`);
    }
  }
  return out;
}
