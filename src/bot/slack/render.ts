import type { HeaderCard } from '../../core/header-card.js';

/** Block Kit for the header card. Action ids are `td:<action>`, the value is the conversation id. */
export function renderHeader(card: HeaderCard): { text: string; blocks: unknown[] } {
  const status = { unclaimed: '🟡 Waiting for an agent', claimed: `🟢 Claimed by ${card.assignee}`, closed: '⚪ Closed' }[card.status];
  const window = card.windowClosesAt === undefined
    ? 'no limit'
    : `${card.windowOpen ? 'closes' : '*closed*'} ${slackDate(card.windowClosesAt)}`;
  const fields = [
    `*Customer*\n${escape(card.customerName)}`,
    `*Channel*\n${escape(card.channel)}`,
    `*Queue*\n${escape(card.queue)}`,
    `*Status*\n${status}`,
    `*Assignee*\n${card.assignee ? escape(card.assignee) : '—'}`,
    `*Reply window*\n${window}`,
  ];
  return {
    text: `${card.customerName} on ${card.channel}: ${status}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(card.customerName)}* · ${escape(card.channel)}` } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      {
        type: 'actions',
        block_id: `td:header:${card.convId}`,
        elements: card.buttons.map((b) => ({
          type: 'button',
          action_id: `td:${b.action}`,
          value: card.convId,
          text: { type: 'plain_text', text: b.label },
          ...(b.style ? { style: b.style } : {}),
        })),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Reply in this thread to answer the customer · `//` or `note:` keeps a message internal · `!claim` `!release` `!close` `!reopen`' }] },
    ],
  };
}

/** Slack renders `<!date^…>` in each reader's own time zone. */
function slackDate(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `<!date^${s}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** Slack mrkdwn control characters (docs.slack.dev "Formatting text": escape &, <, >). */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
