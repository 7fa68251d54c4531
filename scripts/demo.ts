/**
 * `npm run demo`: the real bot, on the embedded store in ./data, with local
 * stand-ins for Slack and the WhatsApp Graph API (the same fakes the tests
 * use), so it runs on a fresh machine with no accounts. It prints what a
 * customer and an agent would see, and a curl line to play the customer.
 */
import { createHmac } from 'node:crypto';
import { startApp } from '../src/app.js';
import { loadConfig, formatProblems } from '../src/config/load-config.js';
import { createLogger } from '../src/runtime/logger.js';
import { startSlackFake } from '../tests/fakes/slack/index.js';
import { startGraphFake } from '../tests/fakes/whatsapp/start-graph-fake.js';
import { postToBot, messageEvent } from '../tests/fakes/slack/index.js';
import { postWebhook, textMessageWebhook } from '../tests/fakes/whatsapp/webhooks.js';
import { startCallbackReceiver } from '../tests/fakes/api/start-callback-receiver.js';

const secrets = { signing: 'demo-signing-secret', waSecret: 'demo-app-secret', waToken: 'demo-token', phone: '100000000000001', api: 'demo-inbound-api-secret' };
const slack = await startSlackFake({ users: { U0AGENT: { name: 'alex', real_name: 'Alex Agent' } } });
const graph = await startGraphFake({ accessToken: secrets.waToken, phoneNumberId: secrets.phone, appSecret: secrets.waSecret, pairRate: false });
const callbacks = await startCallbackReceiver({ secret: secrets.api });
const port = Number(process.env.PORT ?? 3000);
const loaded = loadConfig({
  PORT: String(port), HOST: '127.0.0.1', DATA_DIR: process.env.DATA_DIR ?? './data', LOG_LEVEL: 'warn',
  SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: secrets.signing, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
  WHATSAPP_ACCESS_TOKEN: secrets.waToken, WHATSAPP_APP_SECRET: secrets.waSecret, WHATSAPP_VERIFY_TOKEN: 'demo', WHATSAPP_PHONE_NUMBER_ID: secrets.phone,
  WHATSAPP_API_URL: graph.url, INBOUND_API_SECRET: secrets.api, BOOTSTRAP_ADMINS: 'slack:U0AGENT', CONFIG_FILE: 'demo.yaml',
  // The full-page chat at /chat/ is the desk's own origin; this is where a local test site would embed the widget.
  WEBCHAT_ORIGINS: 'http://localhost:8080',
}, () => `api:\n  sources:\n    demo:\n      callback_url: ${callbacks.url}/replies\n`);
if (!loaded.ok) { console.error(formatProblems(loaded.problems)); process.exit(2); }
const app = await startApp(loaded.config, { log: createLogger('warn') });
graph.webhookUrl = `${app.url}/webhooks/whatsapp`;

let shown = 0;
setInterval(() => {
  for (const m of slack.messages.slice(shown)) console.log(`[slack #support${m.thread_ts ? ' thread' : ''}] ${m.text.split('\n')[0]}`);
  shown = slack.messages.length;
}, 200).unref();
let sent = 0;
setInterval(() => {
  for (const s of graph.sent.slice(sent)) console.log(`[whatsapp → customer ${s.to}] ${s.text}`);
  sent = graph.sent.length;
}, 200).unref();

console.log(`threaddesk demo on ${app.url} (embedded store in ${loaded.config.dataDir}). Ctrl-C stops it.`);
const body = textMessageWebhook({ phoneNumberId: secrets.phone }, { from: '15550001234', name: 'Ana', body: 'Hi! My order #118 never arrived.' });
graph.observeInbound(body);
await postWebhook(app.url, secrets.waSecret, body);
const firstPost = await slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.bot_id), 5000);
const header = { ts: firstPost.thread_ts! };
const agentMessage = slack.addUserMessage({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'Sorry Ana, I am on it.', thread_ts: header.ts });
await postToBot(`${app.url}/slack/events`, secrets.signing, messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT', text: agentMessage.text, thread_ts: header.ts, ts: agentMessage.ts }));
const raw = JSON.stringify({ source: 'demo', message_id: 'm1', customer: { id: 'c1', name: 'Bo' }, text: 'Hello from the API' });
console.log('\nPlay a customer through the HTTP API (source "demo"; replies go to a local receiver), e.g.:');
console.log(`  curl -X POST ${app.url}/api/messages -H 'content-type: application/json' -H 'x-signature: sha256=${createHmac('sha256', secrets.api).update(raw).digest('hex')}' -d '${raw}'`);
console.log(`\nPlay a web chat visitor: open ${app.url}/chat/ in a browser (its messages then show here as thread posts).`);
const stop = async () => { await app.shutdown(); await Promise.all([slack.close(), graph.close(), callbacks.close()]); process.exit(0); };
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
