import { z } from 'zod';

/**
 * The Cloud API webhook envelope (platform-facts.md §1): messages, statuses
 * and errors under `entry[].changes[].value`. Each message and each status
 * is read on its own, so one Meta cannot describe (or one that is malformed)
 * never takes the others of its webhook with it.
 */

/**
 * Unix seconds. Meta documents a string, but real payloads also carry a
 * number (interactive replies, orders, system messages).
 */
const unixSeconds = z.union([z.string().regex(/^\d{1,12}$/).transform(Number), z.number().int().nonnegative()]);

/**
 * The fields every inbound message has. The content (`text`, `location`,
 * `order`…) stays as Meta sent it and is read per type by
 * render-message-content.ts. The sender is `from` (a phone number), or, for
 * a user who hides their number behind a username, `from_user_id` (their
 * business-scoped user id, BSUID) or only the `contacts[].user_id` of the
 * change.
 */
export const inboundMessage = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  from: z.string().min(1).optional(),
  from_user_id: z.string().min(1).optional(),
  // A timestamp that cannot be read is no reason to lose the message: the route uses the time of receipt.
  timestamp: unixSeconds.optional().catch(undefined),
  context: z.looseObject({
    id: z.string().optional(),
    forwarded: z.boolean().optional(),
    frequently_forwarded: z.boolean().optional(),
  }).optional().catch(undefined),
});
export type WhatsAppInboundMessage = z.infer<typeof inboundMessage>;

export const statusUpdate = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: unixSeconds.optional().catch(undefined),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});
export type WhatsAppStatus = z.infer<typeof statusUpdate>;

/** `contacts[]` of a change: who wrote, by phone number (`wa_id`) and/or BSUID (`user_id`). */
const contact = z.object({
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional().catch(undefined),
});
type Contact = z.infer<typeof contact>;

const value = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string() }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const webhookEnvelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ id: z.string(), changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

/** A message the desk can route: whom it is from, on which business number. */
export interface ParsedMessage {
  phoneNumberId: string;
  /** The customer's id: their phone number, or their BSUID when WhatsApp withholds the number. */
  sender: string;
  name: string | undefined;
  message: WhatsAppInboundMessage;
}

/** A message that could not be read: its type and id when it had them (never its sender or text). */
export interface UnreadableMessage {
  type?: string;
  id?: string;
  problem: string;
}

export interface ParsedWebhook {
  messages: ParsedMessage[];
  statuses: { phoneNumberId: string; status: WhatsAppStatus }[];
  /** Messages that were left out, each with what was wrong: logged at warn by the route. */
  unreadable: UnreadableMessage[];
  /** Changes the desk does not read (other fields, unknown shapes, system errors): logged once, acknowledged. */
  skipped: string[];
}

export function parseWebhook(body: unknown): ParsedWebhook | undefined {
  const env = webhookEnvelope.safeParse(body);
  if (!env.success) return undefined;
  const out: ParsedWebhook = { messages: [], statuses: [], unreadable: [], skipped: [] };
  for (const entry of env.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') { out.skipped.push(`field ${change.field}`); continue; }
      const v = value.safeParse(change.value);
      if (!v.success) { out.skipped.push('unreadable messages value'); continue; }
      const phoneNumberId = v.data.metadata.phone_number_id;
      const contacts = (v.data.contacts ?? []).flatMap((c) => { const r = contact.safeParse(c); return r.success ? [r.data] : []; });
      for (const raw of v.data.messages ?? []) {
        const read = readMessage(raw, contacts);
        if ('problem' in read) out.unreadable.push(read);
        else out.messages.push({ phoneNumberId, ...read });
      }
      for (const raw of v.data.statuses ?? []) {
        const s = statusUpdate.safeParse(raw);
        if (s.success) out.statuses.push({ phoneNumberId, status: s.data });
        else out.skipped.push('unreadable status');
      }
      for (const raw of v.data.errors ?? []) {
        const code = (raw as { code?: unknown } | null)?.code;
        out.skipped.push(`system error ${typeof code === 'number' ? code : 'without a code'}`);
      }
    }
  }
  return out;
}

function readMessage(raw: unknown, contacts: readonly Contact[]): Omit<ParsedMessage, 'phoneNumberId'> | UnreadableMessage {
  const m = inboundMessage.safeParse(raw);
  if (!m.success) {
    const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as { type?: unknown; id?: unknown };
    return {
      ...(typeof loose.type === 'string' ? { type: loose.type.slice(0, 64) } : {}),
      ...(typeof loose.id === 'string' ? { id: loose.id.slice(0, 200) } : {}),
      // Field paths only: zod's messages never carry the values, and nor does this.
      problem: `unreadable ${[...new Set(m.error.issues.map((i) => i.path.join('.') || 'message'))].join(', ')}`,
    };
  }
  const message = m.data;
  const who = contactOf(message, contacts);
  const sender = message.from ?? message.from_user_id ?? who?.wa_id ?? who?.user_id;
  if (!sender) return { type: message.type, id: message.id, problem: 'no sender: neither from, from_user_id nor a contact' };
  const name = who?.profile?.name ?? (who?.profile?.username ? `@${who.profile.username}` : undefined);
  return { sender, name, message };
}

/**
 * The sender's entry in `contacts[]`: matched by phone number or BSUID; a
 * message that names neither takes the change's only contact (a
 * username-only user's message may carry no sender fields at all).
 */
function contactOf(m: WhatsAppInboundMessage, contacts: readonly Contact[]): Contact | undefined {
  if (m.from || m.from_user_id) {
    return contacts.find((c) => (m.from !== undefined && c.wa_id === m.from) || (m.from_user_id !== undefined && c.user_id === m.from_user_id));
  }
  return contacts.length === 1 ? contacts[0] : undefined;
}
