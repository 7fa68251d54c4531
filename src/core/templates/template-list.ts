import type { KeyValuePort } from '../ports.js';

/** One approved message template as the desk checks a send against it. */
export interface TemplateInfo {
  name: string;
  /** The template's language code as the channel writes it (`en`, `en_US`, `zh_CN`). */
  language: string;
  /** How many values its body takes (`{{1}}`, `{{2}}`… or named ones). */
  params: number;
}

/** A channel's approved templates, as its module last listed them. */
export interface TemplateList {
  fetchedAt: number;
  templates: TemplateInfo[];
}

/**
 * Where a channel's template list is kept: the channel module (WhatsApp: the
 * Graph API's `message_templates`) writes it, refreshes it, and the core only
 * reads it, so checking a send needs no call to the platform.
 */
export const templateListKey = (channel: string): string => `templates:${channel}`;

/** The channel's cached template list; undefined when the channel has none (or never listed them). */
export function readTemplateList(store: Pick<KeyValuePort, 'get'>, channel: string): Promise<TemplateList | undefined> {
  return store.get<TemplateList>(templateListKey(channel));
}

/** Templates by name for a refusal: `order_update (en, 1)`, languages joined, the body's value count last. */
export function templateSummary(list: TemplateList, max = 10): string {
  const byName = new Map<string, TemplateInfo[]>();
  for (const t of list.templates) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  const lines = [...byName].slice(0, max).map(([name, ts]) => `${name} (${ts.map((t) => t.language).join('/')}, ${ts[0]!.params})`);
  return byName.size > max ? `${lines.join('; ')}; +${byName.size - max}` : lines.join('; ');
}
