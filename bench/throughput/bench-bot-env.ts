import { REDIS_URL, SECRETS, type StoreKind } from '../../tests/support/start-desk.js';

export interface BotEnvInput {
  store: StoreKind;
  port: number;
  dataDir: string;
  /** REDIS_PREFIX: replicas of one desk share it. */
  prefix: string;
  slackUrl: string;
  graphUrl: string;
  /** `BOOTSTRAP_ADMINS` seats (Slack user ids): the agents whose thread replies go to customers. */
  admins?: readonly string[];
}

/** The environment of one bench bot process, as an operator would set it, against the fakes. */
export function benchBotEnv(i: BotEnvInput): Record<string, string> {
  return {
    PORT: String(i.port), HOST: '127.0.0.1', DATA_DIR: i.dataDir, LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: i.slackUrl,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: i.graphUrl,
    INBOUND_API_SECRET: SECRETS.apiSecret,
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...(i.admins?.length ? { BOOTSTRAP_ADMINS: i.admins.map((u) => `slack:${u}`).join(',') } : {}),
    ...(i.store === 'redis' ? { REDIS_URL, REDIS_PREFIX: i.prefix } : {}),
  };
}
