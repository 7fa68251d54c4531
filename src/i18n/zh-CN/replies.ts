import type { enReplies } from '../en/replies.js';

/** 简体中文：模板、回复的编辑与删除、客服身份（SPEC §13）。在 `../zh-CN.ts` 中合并。 */
export const zhCNReplies = {
  'command.template': '发送已审核的模板（WhatsApp 24 小时窗口关闭后）',
  'command.template.name': '模板名称（与审核通过的一致）',
  'command.template.values': '语言（可选），然后按顺序填写各个值',
  'action.send_templates': '发送模板',
  'notice.template_queued': '📨 {who} 发送了模板 {name}（{language}）。客户回复后窗口重新打开。',
  'failure.window_templates': ' 已审核的模板（语言，值的个数）：{templates}。用 `{p}template <名称> [语言] [值…]`（或 `{p}模板`）发送。',
  'failure.window_opted_out': ' 客户已退订模板消息（发送了 STOP 或 退订）：请等客户再次来信。',
  'failure.templates_unavailable': '⚠️ 未发送：{channel} 没有已知的消息模板。只有 WhatsApp 有模板：需由机器人的运维人员设置 WHATSAPP_BUSINESS_ACCOUNT_ID（WhatsApp Manager 中的 WhatsApp Business 账户 ID）并重启，模板列表在启动时读取并每小时刷新。其他渠道请直接回复。',
  'failure.unknown_template': '⚠️ 未发送：没有名为 {name} 的已审核模板。{templates, select, none {} other {已审核的模板（语言，值的个数）：{templates}。}}请输入 `{p}template <名称> [语言] [值…]`。',
  'failure.template_language': '⚠️ 未发送：模板 {name} 有以下语言：{languages}。请先写语言：`{p}template {name} <语言> [值…]`。',
  'failure.template_parameters': '⚠️ 未发送：模板 {name}（{language}）需要 {expected, plural, other {# 个值}}，实际给了 {given, plural, other {# 个}}。请输入 `{p}template {name} {language}`，后面按顺序写上 {expected, plural, other {# 个值（含空格的值请加引号："两个 词"）}}。',
  'failure.customer_opted_out': '⚠️ 未发送：客户已退订模板消息（发送了 STOP 或 退订，或 WhatsApp 表示对方已停止接收此类消息）。在客户再次来信之前无法再给对方发送消息。',
  'failure.reply_change_unsupported': '{change, select, delete {🗑️ 你删除了一条回复，但 {channel} 无法撤回已发送的消息。} other {✏️ 你编辑了一条回复，但 {channel} 无法修改已发送的消息。}}客户看到的仍是原来的内容。{change, select, delete {} other {请把更正作为新回复发送。}}',
  'failure.reply_change_failed': '⚠️ {change, select, delete {你的删除} other {你的编辑}}没有送达 {channel} 上的客户（{reason}）。客户看到的仍是原来的内容。',
  'failure.reply_recall_window': '{change, select, delete {🗑️ 你删除了一条回复，但 {channel} 只允许在发送后 {minutes, plural, other {# 分钟}}内撤回消息；} other {✏️ 你编辑了一条回复，但 {channel} 无法修改已发送的消息（只允许在发送后 {minutes, plural, other {# 分钟}}内撤回）；}}客户仍能看到它。{change, select, delete {} other {请把更正作为新回复发送。}}',
  'templates.pick_title': '📨 回复窗口已关闭：请选择一个已批准的模板代替发送（需要填值的模板会告诉你该输入什么）。',
  'templates.option': '{name}（{language}）· {values, plural, =0 {无需填值} other {# 个值}}',
  'templates.pick_placeholder': '选择模板',
  'templates.type_values': '📝 {name}（{language}）需要 {values, plural, other {# 个值}}。请在会话中输入下面这行，把编号换成对应的值：{line}',
} as const satisfies { readonly [K in keyof typeof enReplies]: string };
