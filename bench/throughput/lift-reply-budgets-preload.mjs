// The reverse-path bench's preload (loaded like lift-post-spacing-preload.mjs,
// with `--import` in the bot's own process, which runs dist/main.js). Besides
// the channel's 1 s post spacing it sets to 0 the spacing of the two other
// budgets a reply meets:
// - `whatsapp:number` (13 ms, i.e. Meta's default 80 msg/s per number): at a
//   step above ~77 replies/s the figure would measure that budget; a number
//   Meta has moved to a higher tier (up to 1,000 msg/s) does not have it.
// - `slack:tier3` (1.2 s, reactions.add and chat.update per workspace): every
//   reply sent is marked ✓, so at 25 replies/s the marks would pile up in the
//   outbox faster than they leave and the step would measure that backlog.
// maxConcurrent stays as shipped. Prints nothing: stdout is the bot's log.
import './lift-post-spacing-preload.mjs';
import { SLACK_BUDGETS } from '../../dist/bot/slack/budgets.js';
import { WHATSAPP_BUDGETS } from '../../dist/channels/whatsapp/budgets.js';

for (const budget of [SLACK_BUDGETS['slack:tier3'], WHATSAPP_BUDGETS['whatsapp:number']]) {
  if (!budget) throw new Error("SLACK_BUDGETS 'slack:tier3' or WHATSAPP_BUDGETS 'whatsapp:number' is missing: the budgets changed, update the bench");
  budget.minTimeMs = 0;
}
