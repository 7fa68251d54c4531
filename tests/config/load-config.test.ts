import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblems, loadConfig, type LoadResult } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';

/**
 * SPEC §2/§4 and STYLE habit 6: config is parsed once with the environment
 * passed in; every problem is listed at once, each naming what to set.
 */

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-123-456-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5', SLACK_CHANNEL: 'C0SUPPORT' } as const;
const WHATSAPP = {
  WHATSAPP_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAtest',
  WHATSAPP_APP_SECRET: 'app-secret-from-meta',
  WHATSAPP_VERIFY_TOKEN: 'my-verify-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
} as const;
const API = { INBOUND_API_SECRET: '0123456789abcdef0123456789abcdef' } as const;
/** What every queue gets when the file says nothing of assignment (SPEC §7). */
const ASSIGN = { assignment: 'least_busy', stickyDays: 7, service: { awayIntervalMs: 14_400_000, welcome: [], sla: { firstResponseMs: 90_000 }, inactivityCloseMs: 0 } } as const;

/** No config file at the default path (ENOENT), as on a fresh install. */
const noFile = (): string => {
  const err = new Error('ENOENT: no such file or directory') as NodeJS.ErrnoException;
  err.code = 'ENOENT';
  throw err;
};
const file = (yaml: string) => () => yaml;

function problemsOf(result: LoadResult): string[] {
  if (result.ok) throw new Error(`expected problems, got a config: ${JSON.stringify(result.config)}`);
  return result.problems;
}
function configOf(result: LoadResult): Config {
  if (!result.ok) throw new Error(`expected a config, got problems:\n${result.problems.join('\n')}`);
  return result.config;
}

describe('loadConfig lists every problem at once, each with its fix', () => {
  it('refuses an empty environment naming the messenger and the customer channel variables to set', () => {
    const problems = problemsOf(loadConfig({}, noFile));
    expect(problems).toHaveLength(2);
    const messenger = problems.find((p) => p.includes('No messenger'));
    expect(messenger).toBeDefined();
    for (const v of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CHANNEL']) expect(messenger).toContain(v);
    const channel = problems.find((p) => p.includes('No customer channel'));
    expect(channel).toBeDefined();
    expect(channel).toContain('WHATSAPP_');
    expect(channel).toContain('INBOUND_API_SECRET');
  });

  it('lists a bad PORT, the missing messenger and the missing customer channel together, each naming what to set', () => {
    const problems = problemsOf(loadConfig({ PORT: 'abc' }, noFile));
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('Set PORT');
    expect(problems.find((p) => p.includes('No messenger'))).toContain('SLACK_BOT_TOKEN');
    expect(problems.find((p) => p.includes('No customer channel'))).toContain('INBOUND_API_SECRET');
  });

  it('names every bad variable in one pass when several are wrong', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, PORT: '99999', SLACK_CHANNEL: '#support', SLACK_BOT_TOKEN: 'xoxp-user-token', REDIS_URL: 'http://localhost:6379' }, noFile));
    for (const v of ['PORT', 'SLACK_CHANNEL', 'SLACK_BOT_TOKEN', 'REDIS_URL']) {
      expect(problems.some((p) => p.startsWith(`${v}:`)), `a problem about ${v} in ${JSON.stringify(problems)}`).toBe(true);
    }
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('Set PORT to a port number');
    expect(problems.find((p) => p.startsWith('SLACK_CHANNEL:'))).toContain('Channel ID');
    expect(problems.find((p) => p.startsWith('SLACK_BOT_TOKEN:'))).toContain('xoxb-');
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toContain('redis://');
  });

  it('refuses a PORT that is not a number and says what to set', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, PORT: 'eighty' }, noFile));
    expect(problems).toEqual([expect.stringMatching(/^PORT: .*Set PORT to a port number such as 3000\.$/)]);
  });

  it('names the missing WhatsApp variables when WhatsApp is half configured', () => {
    const { WHATSAPP_APP_SECRET: _a, WHATSAPP_PHONE_NUMBER_ID: _b, ...half } = WHATSAPP;
    const problems = problemsOf(loadConfig({ ...SLACK, ...half }, noFile));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('half configured');
    expect(problems[0]).toContain('WHATSAPP_APP_SECRET');
    expect(problems[0]).toContain('WHATSAPP_PHONE_NUMBER_ID');
    expect(problems[0]).not.toContain('WHATSAPP_ACCESS_TOKEN');
    expect(problems[0]).not.toContain('WHATSAPP_VERIFY_TOKEN');
  });

  it('says "is missing" for one absent WhatsApp variable and still reports a missing messenger', () => {
    const { WHATSAPP_VERIFY_TOKEN: _v, ...three } = WHATSAPP;
    const problems = problemsOf(loadConfig({ ...three }, noFile));
    expect(problems.some((p) => p.includes('WHATSAPP_VERIFY_TOKEN is missing'))).toBe(true);
    expect(problems.some((p) => p.includes('No messenger'))).toBe(true);
  });

  it('names the missing WeChat variables when WeChat Customer Service is half configured', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, WECOM_CORP_ID: 'ww1234567890abcdef', WECOM_TOKEN: 'QDG6eK' }, noFile));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('WeChat Customer Service is half configured: WECOM_SECRET, WECOM_ENCODING_AES_KEY are missing');
    expect(problems[0]).toContain('WeCom admin console');
  });

  it('refuses an EncodingAESKey that is not 43 characters, with where to copy it, and defaults WECOM_API_URL', () => {
    const wecom = { WECOM_CORP_ID: 'ww1234567890abcdef', WECOM_SECRET: 'kf-secret', WECOM_TOKEN: 'QDG6eK' };
    const problems = problemsOf(loadConfig({ ...SLACK, ...wecom, WECOM_ENCODING_AES_KEY: 'too-short' }, noFile));
    expect(problems.find((p) => p.startsWith('WECOM_ENCODING_AES_KEY:'))).toContain('EncodingAESKey (43 characters)');
    const loaded = loadConfig({ ...SLACK, ...wecom, WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' }, noFile);
    expect(loaded.ok && loaded.config.channels.wechat?.settings).toMatchObject({ apiUrl: 'https://qyapi.weixin.qq.com', corpId: 'ww1234567890abcdef' });
  });

  it('refuses a WhatsApp phone number id that is a phone number', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...WHATSAPP, WHATSAPP_PHONE_NUMBER_ID: '+1 555 078 3881' }, noFile));
    expect(problems.find((p) => p.startsWith('WHATSAPP_PHONE_NUMBER_ID:'))).toContain('WhatsApp Manager');
  });

  it('takes WHATSAPP_BUSINESS_ACCOUNT_ID for templates, and refuses one that is no id with where to find it', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...WHATSAPP, WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-1' }, noFile));
    expect(problems.find((p) => p.startsWith('WHATSAPP_BUSINESS_ACCOUNT_ID:'))).toContain('WhatsApp Manager → Account tools');
    const loaded = loadConfig({ ...SLACK, ...WHATSAPP, WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398' }, noFile);
    expect(loaded.ok && loaded.config.channels.whatsapp?.settings).toMatchObject({ wabaId: '102290129340398' });
    const without = loadConfig({ ...SLACK, ...WHATSAPP }, noFile);
    expect(without.ok && without.config.channels.whatsapp?.settings).not.toHaveProperty('wabaId');
  });

  it('checks a queue\'s agent_identity: the prefix\'s variables, and {company} only with a company', () => {
    const bad = problemsOf(loadConfig({ ...SLACK, ...API }, file('queues:\n  - name: default\n    agent_identity:\n      prefix: "{agent} · {company}"\n')));
    expect(bad.find((p) => p.includes('agent_identity.prefix uses {agent}'))).toContain('Use {name}');
    expect(bad.find((p) => p.includes('agent_identity.company is not set'))).toContain('Add company:');
    const good = loadConfig({ ...SLACK, ...API }, file('queues:\n  - name: default\n    agent_identity:\n      prefix: "{name} · {company}"\n      company: Acme\n      show_name: false\n'));
    expect(good.ok && good.config.queues.find((q) => q.name === 'default')?.service?.agentIdentity).toEqual({ showName: false, prefix: '{name} · {company}', company: 'Acme' });
  });

  it('names every missing Slack variable when Slack is half configured', () => {
    const problems = problemsOf(loadConfig({ SLACK_BOT_TOKEN: SLACK.SLACK_BOT_TOKEN, ...API }, noFile));
    expect(problems.some((p) => p.includes('SLACK_SIGNING_SECRET') && p.includes('SLACK_APP_TOKEN'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SLACK_CHANNEL is missing'))).toBe(true);
    expect(problems.some((p) => p.includes('No messenger'))).toBe(false);
  });

  it('names what half-configured Telegram and Discord setups are missing', () => {
    const problems = problemsOf(loadConfig({ TELEGRAM_BOT_TOKEN: '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', DISCORD_TOKEN: 'x'.repeat(30), ...API }, noFile));
    expect(problems.find((p) => p.startsWith('TELEGRAM_CHAT_ID'))).toContain('supergroup');
    expect(problems.find((p) => p.startsWith('Discord is half configured'))).toContain('DISCORD_GUILD_ID');
  });

  it('refuses a malformed Telegram token and says where the right one comes from', () => {
    const problems = problemsOf(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_CHAT_ID: '-1001', ...API }, noFile));
    expect(problems.find((p) => p.startsWith('TELEGRAM_BOT_TOKEN'))).toContain('@BotFather');
  });

  it('treats empty variables as unset', () => {
    const config = configOf(loadConfig({ ...SLACK, ...API, PORT: '', REDIS_URL: '', WHATSAPP_ACCESS_TOKEN: '' }, noFile));
    expect(config.http.port).toBe(3000);
    expect(config.redisUrl).toBeUndefined();
    expect(config.channels.whatsapp).toBeUndefined();
  });
});

describe('loadConfig reads the config file strictly', () => {
  it('names an unknown key in the config file with its path and the file name', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'desk.yaml' }, file('desk:\n  first_replier_claim: false\n')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^desk\.yaml: desk: unknown key\(s\) first_replier_claim/);
    expect(problems[0]).toContain('spelling');
  });

  it('names an unknown top-level key in the config file', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'desk.yaml' }, file('queue:\n  - name: vip\n')));
    expect(problems.some((p) => p.startsWith('desk.yaml') && p.includes('queue'))).toBe(true);
  });

  it('reports bad YAML with the file name and the line', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'broken.yaml' }, file('desk:\n  note_prefixes: [//, note:\nqueues: x\n')));
    const yamlProblem = problems.find((p) => p.includes('not valid YAML'));
    expect(yamlProblem).toBeDefined();
    expect(yamlProblem).toMatch(/^broken\.yaml is not valid YAML: .*line \d+/);
  });

  it('says so when CONFIG_FILE names a file that does not exist', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: '/etc/threaddesk/missing.yaml' }, noFile));
    expect(problems).toEqual([expect.stringContaining('CONFIG_FILE /etc/threaddesk/missing.yaml does not exist')]);
  });

  it('reads config/bot.yaml by default and tolerates its absence', () => {
    const read: string[] = [];
    const config = configOf(loadConfig({ ...SLACK, ...API }, (p) => { read.push(p); return noFile(); }));
    expect(read).toEqual(['config/bot.yaml']);
    expect(config.desk).toEqual({ firstReplierClaims: true, notePrefixes: ['//', 'note:'], commandPrefix: '!', language: 'en' });
  });

  it('names a queue with a #name instead of a channel id and a queue listed twice', () => {
    const yaml = 'queues:\n  - name: vip\n    slack_channel: "#vip"\n';
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'q.yaml' }, file(yaml)));
    expect(problems.some((p) => p.startsWith('q.yaml: queues.0.slack_channel') && p.includes('C0123ABCD'))).toBe(true);
    const twice = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'q.yaml' }, file('queues:\n  - name: vip\n  - name: vip\n')));
    expect(twice).toEqual([expect.stringContaining('queue "vip" is listed twice')]);
  });

  it('refuses api sources without INBOUND_API_SECRET and names the variable', () => {
    const yaml = 'api:\n  sources:\n    crm:\n      callback_url: https://crm.example.com/hook\n';
    const problems = problemsOf(loadConfig({ ...SLACK, ...WHATSAPP, CONFIG_FILE: 'a.yaml' }, file(yaml)));
    expect(problems).toEqual([expect.stringContaining('INBOUND_API_SECRET is not set')]);
  });
});

describe('BOOTSTRAP_ADMINS', () => {
  it('reads a comma list of messenger:user pairs, tolerating spaces', () => {
    const config = configOf(loadConfig({ ...SLACK, ...API, BOOTSTRAP_ADMINS: 'slack:U0123ABCD, telegram:42 ,discord:99' }, noFile));
    expect(config.bootstrapAdmins).toEqual([
      { platform: 'slack', userId: 'U0123ABCD' },
      { platform: 'telegram', userId: '42' },
      { platform: 'discord', userId: '99' },
    ]);
  });

  it('names each malformed entry and shows the expected form', () => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, BOOTSTRAP_ADMINS: 'U0123ABCD,whatsapp:491701234567,slack:,slack:U1' }, noFile));
    for (const entry of ['U0123ABCD', 'whatsapp:491701234567', 'slack:']) {
      expect(problems.some((p) => p.includes(`"${entry}"`) && p.includes('slack:U0123ABCD')), entry).toBe(true);
    }
    expect(problems).toHaveLength(3);
  });

  it('is optional', () => {
    expect(configOf(loadConfig({ ...SLACK, ...API }, noFile)).bootstrapAdmins).toEqual([]);
  });
});

describe('queues', () => {
  it('creates the default queue in SLACK_CHANNEL when the file names none', () => {
    const config = configOf(loadConfig({ ...SLACK, ...API }, noFile));
    expect(config.queues).toEqual([{ name: 'default', department: 'default', messenger: 'slack', channel: 'C0SUPPORT', ...ASSIGN }]);
  });

  it('lets a configured queue without slack_channel default to SLACK_CHANNEL and keeps the default queue', () => {
    const yaml = 'queues:\n  - name: vip\n    department: sales\n  - name: refunds\n    slack_channel: C0REFUNDS\n';
    const config = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'q.yaml' }, file(yaml)));
    expect(config.queues).toEqual([
      { name: 'default', department: 'default', messenger: 'slack', channel: 'C0SUPPORT', ...ASSIGN },
      { name: 'vip', department: 'sales', messenger: 'slack', channel: 'C0SUPPORT', ...ASSIGN },
      { name: 'refunds', department: 'default', messenger: 'slack', channel: 'C0REFUNDS', ...ASSIGN },
    ]);
  });

  it('lets the file move the default queue to another channel', () => {
    const config = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'q.yaml' }, file('queues:\n  - name: default\n    slack_channel: C0OTHER\n')));
    expect(config.queues).toEqual([{ name: 'default', department: 'default', messenger: 'slack', channel: 'C0OTHER', ...ASSIGN }]);
  });
});

describe('a valid minimal environment', () => {
  it('loads Slack plus the HTTP API with every default filled in', () => {
    const config = configOf(loadConfig({ ...SLACK, ...API }, noFile));
    expect(config).toMatchObject({
      http: { port: 3000, host: '0.0.0.0' },
      dataDir: './data',
      redisUrl: undefined,
      logLevel: 'info',
      messengers: { slack: { settings: { botToken: SLACK.SLACK_BOT_TOKEN, signingSecret: SLACK.SLACK_SIGNING_SECRET, appToken: undefined, channel: 'C0SUPPORT', apiUrl: 'https://slack.com/api/' } } },
      channels: { api: { settings: { secret: API.INBOUND_API_SECRET, sources: {} } } },
      shutdownDrainMs: 10_000,
    });
    expect(config.channels.whatsapp).toBeUndefined();
  });

  it('loads Slack in Socket Mode without a signing secret plus WhatsApp, trimming the Graph URL', () => {
    const env = { SLACK_BOT_TOKEN: SLACK.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A0-123-abc', SLACK_CHANNEL: 'C0SUPPORT', ...WHATSAPP, WHATSAPP_API_URL: 'http://127.0.0.1:9999/v21.0/', PORT: '0', REDIS_URL: 'redis://127.0.0.1:6379', SHUTDOWN_DRAIN_SECONDS: '3', LOG_LEVEL: 'debug' };
    const config = configOf(loadConfig(env, noFile));
    expect(config.messengers.slack?.settings).toMatchObject({ appToken: 'xapp-1-A0-123-abc', signingSecret: undefined });
    expect(config.channels.whatsapp?.settings).toEqual({ accessToken: WHATSAPP.WHATSAPP_ACCESS_TOKEN, appSecret: WHATSAPP.WHATSAPP_APP_SECRET, verifyToken: WHATSAPP.WHATSAPP_VERIFY_TOKEN, phoneNumberId: WHATSAPP.WHATSAPP_PHONE_NUMBER_ID, apiUrl: 'http://127.0.0.1:9999/v21.0' });
    expect(config).toMatchObject({ http: { port: 0 }, redisUrl: 'redis://127.0.0.1:6379', shutdownDrainMs: 3000, logLevel: 'debug' });
  });

  it('reads the config file values over the defaults', () => {
    const yaml = [
      'desk:', '  first_replier_claims: false', '  note_prefixes: ["#internal"]', '  command_prefix: "."',
      'api:', '  sources:', '    crm:', '      callback_url: https://crm.example.com/threaddesk',
      'outbox:', '  shutdown_drain_seconds: 30', 'log_level: warn', '',
    ].join('\n');
    const config = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'bot.yaml' }, file(yaml)));
    expect(config.desk).toEqual({ firstReplierClaims: false, notePrefixes: ['#internal'], commandPrefix: '.', language: 'en' });
    expect(config.channels.api?.settings).toMatchObject({ sources: { crm: { callbackUrl: 'https://crm.example.com/threaddesk' } } });
    expect(config.shutdownDrainMs).toBe(30_000);
    expect(config.logLevel).toBe('warn');
  });
});

describe('formatProblems', () => {
  it('numbers every problem under a headline with the count', () => {
    const text = formatProblems(['A is wrong. Set A.', 'B is missing. Set B.']);
    expect(text.split('\n')).toEqual([
      'threaddesk cannot start: 2 problems in the configuration.',
      '  1. A is wrong. Set A.',
      '  2. B is missing. Set B.',
      expect.stringContaining('Fix them and start again'),
    ]);
    expect(formatProblems(['only one'])).toContain('1 problem in');
  });
});

describe('starting the process with no messenger configured', () => {
  it('exits with code 2 and lists on stderr which variables to set', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);

    expect(code, `stderr:\n${stderr}`).toBe(2);
    expect(stderr).toContain('threaddesk cannot start: 2 problems in the configuration.');
    expect(stderr).toMatch(/1\. No messenger is configured.*SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET.*SLACK_CHANNEL/);
    expect(stderr).toMatch(/2\. No customer channel is configured.*WHATSAPP_.*INBOUND_API_SECRET/);
    expect(stdout).toBe('');
  });
});

describe('REDIS_PREFIX', () => {
  it('defaults to threaddesk: when unset or empty', () => {
    expect(configOf(loadConfig({ ...SLACK, ...API }, noFile)).redisPrefix).toBe('threaddesk:');
    expect(configOf(loadConfig({ ...SLACK, ...API, REDIS_PREFIX: '' }, noFile)).redisPrefix).toBe('threaddesk:');
  });

  it('takes a prefix of letters, digits, dots, dashes, underscores and colons ending with a colon', () => {
    for (const prefix of ['acme:', 'acme-support:', 'td.eu_1:prod:', '7:']) {
      expect(configOf(loadConfig({ ...SLACK, ...API, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix }, noFile)).redisPrefix).toBe(prefix);
    }
  });

  it.each([
    ['without the closing colon', 'acme'],
    ['with a space', 'acme support:'],
    ['that is only a colon', ':'],
    ['starting with a colon', ':acme:'],
    ['with a glob character', 'acme*:'],
    ['longer than 64 characters', `${'a'.repeat(64)}:`],
  ])('refuses a prefix %s, saying what a prefix looks like', (_what, prefix) => {
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, REDIS_PREFIX: prefix }, noFile));
    expect(problems).toEqual([expect.stringMatching(/^REDIS_PREFIX: .*Set REDIS_PREFIX to .*ending with ":", such as acme-support:/)]);
  });
});

describe('languages in the config file', () => {
  it('reads desk.language and queues[].language, written as people write them', () => {
    const yaml = ['desk:', '  language: zh-Hans', 'queues:', '  - name: default', '  - name: intl', '    language: en-GB', ''].join('\n');
    const config = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'bot.yaml' }, file(yaml)));
    expect(config.desk.language).toBe('zh-CN');
    expect(config.queues.find((q) => q.name === 'intl')?.language).toBe('en');
    expect(config.queues.find((q) => q.name === 'default')?.language).toBeUndefined();
  });

  it('refuses a language the desk does not speak, listing the ones it does, for the desk and for a queue', () => {
    const yaml = ['desk:', '  language: fr', 'queues:', '  - name: default', '    language: klingon', ''].join('\n');
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'bot.yaml' }, file(yaml))).join('\n');
    expect(problems).toMatch(/desk\.language.*not a language this desk speaks; use one of en, zh-CN/);
    expect(problems).toMatch(/queues\.0\.language.*not a language this desk speaks; use one of en, zh-CN/);
  });

  describe('routing (SPEC §7)', () => {
    const SPEC_EXAMPLE = `queues:
  - name: refunds
    department: after-sales
    slack_channel: C0REFUNDS
    assignment: round_robin
    sticky_days: 3
  - name: vip
    assignment: manual
routing:
  rules:
    - queue: refunds
      keywords: ["#refund", "#退换货", "退款"]
    - queue: vip
      customer_tags: [vip]
    - queue: vip
      channel: api
      account: crm
  overload: 15
  underload: 5
`;

    it("reads the spec's routing keys and each queue's assignment and sticky_days", () => {
      const config = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'r.yaml' }, file(SPEC_EXAMPLE)));
      expect(config.routing).toEqual({
        rules: [
          { queue: 'refunds', keywords: ['#refund', '#退换货', '退款'] },
          { queue: 'vip', customerTags: ['vip'] },
          { queue: 'vip', channel: 'api', account: 'crm' },
        ],
        overload: 15,
        underload: 5,
      });
      expect(config.queues.map((q) => [q.name, q.assignment, q.stickyDays])).toEqual([['default', 'least_busy', 7], ['refunds', 'round_robin', 3], ['vip', 'manual', 7]]);
    });

    it('refuses to start on a rule naming an unknown queue or channel, crossed thresholds and a queue on a messenger that is not set up, naming every problem at once', () => {
      const yaml = `queues:
  - name: refunds
  - name: sales
    messenger: discord
    discord_channel_id: "123456789012345678"
routing:
  rules:
    - queue: refnds
      keywords: ["#refund"]
    - queue: refunds
      channel: fax
  overload: 3
  underload: 5
`;
      const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'r.yaml' }, file(yaml))).join('\n');
      expect(problems).toContain('routing.rules[0] sends conversations to queue "refnds", which is not in queues. Add it to queues or use one of: default, refunds, sales.');
      expect(problems).toContain('routing.rules[1] names channel "fax", which this desk does not know. Use one of:');
      expect(problems).toContain('routing.underload (5) is above routing.overload (3)');
      expect(problems).toContain('queue "sales" uses discord, which is not configured');
    });

    it('refuses a rule with no condition (it would take every conversation)', () => {
      const yaml = 'routing:\n  rules:\n    - queue: default\n';
      expect(problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'r.yaml' }, file(yaml))).join('\n')).toContain('routing.rules.0: a rule needs at least one of channel, account, keywords or customer_tags');
    });

    it('refuses an unknown assignment mode, naming the ones there are', () => {
      const problems = problemsOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'r.yaml' }, file('queues:\n  - name: default\n    assignment: random\n')));
      expect(problems.join('\n')).toMatch(/assignment.*manual.*round_robin.*least_busy/s);
    });
  });

  describe('hours, away reply and welcome (SPEC §7)', () => {
    it('reads the spec\'s keys into the queue\'s service settings', () => {
      const yaml = `queues:
  - name: default
    hours: { time_zone: Asia/Shanghai, days: [1, 2, 3, 4, 5], open: "09:00", close: "18:00", holidays: ["2026-10-01"] }
    away_reply: "Back {opens_at}"
    away_reply_interval_minutes: 60
    welcome:
      - between: "08:00-12:00"
        text: "Good morning"
      - text: "Hello"
    sla: { first_response_seconds: 30, no_reply_seconds: 600, escalate_after_seconds: 300 }
    inactivity_close_hours: 24
`;
      const q = configOf(loadConfig({ ...SLACK, ...API, CONFIG_FILE: 'h.yaml' }, file(yaml))).queues[0]!;
      expect(q.service).toEqual({
        hours: { timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], open: 540, close: 1080, holidays: ['2026-10-01'] },
        awayReply: 'Back {opens_at}',
        awayIntervalMs: 3_600_000,
        welcome: [{ text: 'Good morning', between: { from: 480, to: 720 } }, { text: 'Hello' }],
        sla: { firstResponseMs: 30_000, noReplyMs: 600_000, escalateAfterMs: 300_000 },
        inactivityCloseMs: 86_400_000,
      });
    });

    it('names every problem: a bad time zone, open = close, an away reply without hours, a welcome too long for WhatsApp', () => {
      const yaml = `queues:
  - name: default
    hours: { time_zone: Mars/Olympus, open: "09:00", close: "09:00" }
  - name: other
    away_reply: "We are closed"
  - name: third
    welcome:
      - text: "${'x'.repeat(4000)}"
`;
      const problems = problemsOf(loadConfig({ ...SLACK, ...WHATSAPP, ...API, CONFIG_FILE: 'h.yaml' }, file(yaml))).join('\n');
      expect(problems).toContain('queue "default": hours.time_zone "Mars/Olympus" is not a time zone');
      expect(problems).toContain('queue "default": hours open and close are both 09:00');
      expect(problems).toContain('queue "other": away_reply is set but the queue has no hours');
      expect(problems).toContain("queue \"third\": welcome[0].text is 4000 characters; with its variables filled in it may not fit whatsapp's 4096-character messages. Shorten it to at most 3896.");
    });
  });
});
