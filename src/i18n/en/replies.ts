/** English: templates, edits and deletes of replies, agent identity (SPEC §13). Joined in `../en.ts`. */
export const enReplies = {
  'command.template': 'Send an approved template (WhatsApp, when the 24-hour window closed)',
  'command.template.name': 'The template\'s name, as approved',
  'command.template.values': 'Its language (optional), then its values in order',
  'action.send_templates': 'send templates',
  'notice.template_queued': '📨 {who} sent the template {name} ({language}). The window reopens when the customer answers.',
  'failure.window_templates': ' Approved templates (language, values): {templates}. Send one with `{p}template <name> [language] [values…]`.',
  'failure.window_opted_out': ' The customer opted out of templates (they wrote STOP or 退订): wait until they write again.',
  'failure.templates_unavailable': '⚠️ Not sent: no message templates are known for {channel}. Templates exist on WhatsApp only; there, whoever runs the bot sets WHATSAPP_BUSINESS_ACCOUNT_ID (the WhatsApp Business Account id from WhatsApp Manager) and restarts, and the list is read at start and every hour. Elsewhere, answer with a plain reply.',
  'failure.unknown_template': '⚠️ Not sent: there is no approved template named {name}.{templates, select, none {} other { Approved templates (language, values): {templates}.}} Type `{p}template <name> [language] [values…]`.',
  'failure.template_language': '⚠️ Not sent: the template {name} exists in {languages}. Name the language first: `{p}template {name} <language> [values…]`.',
  'failure.template_parameters': '⚠️ Not sent: the template {name} ({language}) takes {expected, plural, one {# value} other {# values}}, and {given, plural, =0 {none was} one {# was} other {# were}} given. Type `{p}template {name} {language}` followed by {expected, plural, one {its value} other {its # values, in order (quote a value with spaces: "two words")}}.',
  'failure.customer_opted_out': '⚠️ Not sent: the customer opted out of templates (they wrote STOP or 退订, or WhatsApp said they stopped such messages). Nothing more can go to them until they write again.',
  'failure.reply_change_unsupported': '{change, select, delete {🗑️ You deleted a reply, but {channel} cannot take back a sent message.} other {✏️ You edited a reply, but {channel} cannot change a sent message.}} The customer still sees the original.{change, select, delete {} other { Send the correction as a new reply.}}',
  'failure.reply_change_failed': '⚠️ {change, select, delete {Your delete} other {Your edit}} did not reach the customer on {channel} ({reason}). The customer still sees the original.',
  'failure.reply_recall_window': '{change, select, delete {🗑️ You deleted a reply, but {channel} lets a message be recalled only within {minutes, plural, one {# minute} other {# minutes}} of sending;} other {✏️ You edited a reply, but {channel} cannot change a sent message (it lets one be recalled only within {minutes, plural, one {# minute} other {# minutes}} of sending);}} the customer still sees it.{change, select, delete {} other { Send the correction as a new reply.}}',
} as const;
