import type { ChannelTraits } from '../channel-traits.js';
import type { Conversation, Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Outbox } from '../outbox/outbox.js';
import { lanes } from '../outbox/items.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { readTemplateList, templateSummary, type TemplateInfo } from './template-list.js';

/** What sending a template needs. */
export interface TemplateDeps {
  store: StorePort;
  clock: Clock;
  conversations: Conversations;
  outbox: Outbox;
  departmentOf: (conv: Conversation) => string;
  /** The channels' labels, for what a refusal names. */
  channels: ChannelTraits;
}

/** `!template <name> [language] [values…]` as typed: the words after the command. */
export interface TemplateRequest { name: string; words: string[] }

/**
 * The claimer sends an approved template (SPEC §13): the only message a
 * channel with a reply window (WhatsApp) takes once it closed. The name,
 * language and number of values are checked against the channel's cached
 * list before anything is queued, so a send Meta would refuse (132001,
 * 132000) is refused here with what to type; a customer who opted out gets
 * none. The window reopens when the customer answers, as always.
 */
export async function sendTemplate(d: TemplateDeps, conv: Conversation, seat: Seat, req: TemplateRequest): Promise<Result<{ name: string; language: string }>> {
  if (!can(seat, 'chat.reply', { department: d.departmentOf(conv) })) return fail('permission_denied', { action: 'reply' });
  if (conv.status === 'closed') return fail('conversation_closed');
  const holder = await d.conversations.claimer(conv.id);
  if (holder !== seat.id) return holder ? fail('not_claimer', { holder }) : fail('not_claimed');
  if (conv.optedOutAt !== undefined) return fail('customer_opted_out');
  const list = await readTemplateList(d.store, conv.channel);
  if (!list) return fail('templates_unavailable', { channel: d.channels[conv.channel]?.label ?? conv.channel });
  const named = list.templates.filter((t) => t.name === req.name);
  if (!named.length) return fail('unknown_template', { name: req.name, templates: templateSummary(list) || undefined });
  const chosen = pickLanguage(named, req.words);
  if (!chosen.ok) return chosen;
  const { template, values } = chosen.value;
  if (values.length !== template.params) {
    return fail('template_parameters', { name: template.name, language: template.language, expected: template.params, given: values.length });
  }
  const now = d.clock.now();
  const lane = lanes.customer(conv.id);
  const send = d.outbox.stage(lane, conv.channel, { op: 'customer.template', convId: conv.id, name: template.name, language: template.language, values, author: seat.id });
  await d.store.writeAtomically([
    d.conversations.transcriptOp(conv.id, { at: now, direction: 'out', text: `[template ${template.name} (${template.language})] ${values.join(' | ')}`.trim(), author: seat.id }),
    ...send.ops,
  ]);
  d.outbox.appended([lane]);
  return ok({ name: template.name, language: template.language });
}

/**
 * The template's language and the values: the first word is a language when
 * one of the template's languages is written so (`en`, `en_US`, `zh-CN`:
 * case and `-`/`_` ignored); otherwise it is the first value, and the
 * template must exist in one language only.
 */
function pickLanguage(named: TemplateInfo[], words: string[]): Result<{ template: TemplateInfo; values: string[] }> {
  const fold = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const first = words[0];
  const byWord = first === undefined ? undefined : named.find((t) => fold(t.language) === fold(first));
  if (byWord) return ok({ template: byWord, values: words.slice(1) });
  if (named.length === 1) return ok({ template: named[0]!, values: words });
  const languages = named.map((t) => t.language).join(', ');
  return fail('template_language', { name: named[0]!.name, languages });
}
