import { z } from 'zod';

/**
 * `kf/sync_msg` answers (K2, K4; platform-facts.md §2): `{next_cursor,
 * has_more, msg_list[]}`. Items are read loosely here (each is checked on its
 * own in to-inbound.ts), so one odd item never loses its page.
 */
export const syncPage = z.object({
  next_cursor: z.string().max(256).optional(),
  has_more: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  msg_list: z.array(z.unknown()).max(1000).default([]),
});
export type SyncPage = z.infer<typeof syncPage>;

/** The fields every item has; origin 3 = customer, 4 = system event, 5 = a servicer in the WeCom client. */
export const kfItem = z.object({
  msgid: z.string().min(1).max(128),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  send_time: z.number().int().nonnegative(),
  origin: z.number().int(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
}).passthrough();
export type KfItem = z.infer<typeof kfItem>;

export const textContent = z.object({ content: z.string(), menu_id: z.string().optional() });
export const mediaContent = z.object({ media_id: z.string().min(1) });
export const locationContent = z.object({
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  name: z.string().optional(),
  address: z.string().optional(),
});
export const linkContent = z.object({ title: z.string().optional(), desc: z.string().optional(), url: z.string().optional(), pic_url: z.string().optional() });

/**
 * An event item (origin 4): `open_kfid`/`external_userid` may sit inside
 * `event` rather than at the top level (platform-facts.md §2, corrections).
 */
export const kfEventContent = z.object({
  event_type: z.string(),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  welcome_code: z.string().optional(),
  fail_msgid: z.string().optional(),
  fail_type: z.number().optional(),
  change_type: z.number().optional(),
  new_servicer_userid: z.string().optional(),
  old_servicer_userid: z.string().optional(),
}).passthrough();
export type KfEventContent = z.infer<typeof kfEventContent>;
