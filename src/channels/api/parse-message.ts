import { z } from 'zod';

/**
 * `POST /api/messages`: any system hands in a customer message. `source`
 * names the system (its callback URL is in the config), `message_id` makes a
 * resend harmless.
 */
export const apiMessage = z
  .object({
    source: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
    message_id: z.string().min(1).max(200),
    customer: z.object({
      id: z.string().min(1).max(200),
      name: z.string().max(200).optional(),
      /** The customer's tags (`vip`), added to those the desk keeps for them; routing rules may match them (SPEC §7). */
      tags: z.array(z.string().min(1).max(40)).max(20).optional(),
    }).strict(),
    text: z.string().max(100_000),
    attachments: z.array(z.object({ url: z.url({ protocol: /^https?$/ }), name: z.string().max(200).optional() }).strict()).max(20).optional(),
    sent_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((m) => m.text.length > 0 || (m.attachments?.length ?? 0) > 0, { message: 'text or attachments is required', path: ['text'] });

export type ApiMessage = z.infer<typeof apiMessage>;
