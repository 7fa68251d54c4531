import { z } from 'zod';

/**
 * The content objects of inbound Cloud API messages, one per `type`
 * (Meta's "messages" webhook reference; checked against payloads collected
 * from netflie/whatsapp-cloud-api and pywa). Loose where Meta adds fields;
 * numbers may come as strings and the other way round.
 */

const text = z.string();
/** A number Meta sends as a JSON number or as a numeric string (coordinates, quantities, prices). */
const numeric = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

export const media = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

export const textContent = z.looseObject({ body: text });

export const locationContent = z.looseObject({
  latitude: numeric.optional().catch(undefined),
  longitude: numeric.optional().catch(undefined),
  name: text.optional(),
  address: text.optional(),
});

export const contactsContent = z.array(z.looseObject({
  name: z.looseObject({ formatted_name: text.optional(), first_name: text.optional(), last_name: text.optional() }).optional(),
  phones: z.array(z.looseObject({ phone: text.optional(), wa_id: text.optional(), type: text.optional() })).optional(),
  emails: z.array(z.looseObject({ email: text.optional() })).optional(),
  org: z.looseObject({ company: text.optional() }).optional(),
}));

export const reactionContent = z.looseObject({
  message_id: z.string().min(1),
  /** Absent or empty: the customer removed their reaction. */
  emoji: text.optional(),
});

export const interactiveContent = z.looseObject({
  type: text,
  button_reply: z.looseObject({ id: text.optional(), title: text }).optional(),
  list_reply: z.looseObject({ id: text.optional(), title: text, description: text.optional() }).optional(),
  /** A WhatsApp Flow's answers: `response_json` is a JSON object serialised as a string. */
  nfm_reply: z.looseObject({ response_json: text, body: text.optional(), name: text.optional() }).optional(),
});

/** A quick-reply button of a template message. */
export const buttonContent = z.looseObject({ text, payload: text.optional() });

export const orderContent = z.looseObject({
  catalog_id: text.optional(),
  text: text.optional(),
  product_items: z.array(z.looseObject({
    product_retailer_id: text,
    quantity: z.union([numeric, text]),
    item_price: z.union([numeric, text]).optional(),
    currency: text.optional(),
  })),
});

/**
 * `user_changed_number` (`customer_changed_number` in older versions): `wa_id`
 * (or `new_wa_id`) is the new number, the message's `from` the old one.
 */
export const systemContent = z.looseObject({
  type: text.optional(),
  body: text.optional(),
  wa_id: text.optional(),
  new_wa_id: text.optional(),
});

/** An edit carries the whole new message (type and content) and the id of the one it replaces. */
export const editContent = z.looseObject({
  original_message_id: z.string().min(1),
  message: z.looseObject({ type: z.string().min(1) }),
});

export const revokeContent = z.looseObject({ original_message_id: z.string().min(1) });

/** `type:"unsupported"` may say which kind it was (`unsupported.type`: "pool", "edit"…). */
export const unsupportedContent = z.looseObject({ type: text.optional() });

export const messageErrors = z.array(z.looseObject({ code: z.number().optional(), title: text.optional() }));
