import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadResult } from '../../src/config/load-config.js';
import { levenshtein, misspeltEnvNames } from '../../src/config/did-you-mean.js';
import { knownEnvNames } from '../../src/config/known-names.js';
import { MODULES } from '../../src/modules.js';

/** Issue 17: every config problem in one run, and "did you mean" for names that are almost right. */

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-123-456-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5', SLACK_CHANNEL: 'C0SUPPORT' } as const;
const API = { INBOUND_API_SECRET: '0123456789abcdef0123456789abcdef' } as const;
const file = (yaml: string) => () => yaml;

function problemsOf(result: LoadResult): string[] {
  if (result.ok) throw new Error('expected problems, got a config');
  return result.problems;
}

describe('every config problem in one run', () => {
  it('reports a schema problem and the cross-section problems of the rest of the file together', () => {
    // Before: one bad field made the later checks run on the defaults, so the routing rule's unknown
    // queue and the queue on an unconfigured messenger showed only once the field was fixed.
    const yaml = [
      'desk:',
      '  command_prefix: "!!!!"',
      'queues:',
      '  - name: vip',
      '    messenger: telegram',
      '  - name: sales',
      '    sticky_days: -3',
      'routing:',
      '  rules:',
      '    - queue: nowhere',
      '      keywords: [refund]',
      '    - queue: sales',
      '      keywords: [buy]',
    ].join('\n');
    const problems = problemsOf(loadConfig({ ...SLACK, ...API }, file(yaml)));
    expect(problems.some((p) => p.includes('desk.command_prefix'))).toBe(true);
    expect(problems.some((p) => p.includes('queues.1.sticky_days'))).toBe(true);
    expect(problems.some((p) => p.includes('queue "vip" uses telegram, which is not configured'))).toBe(true);
    expect(problems.some((p) => p.includes('nowhere'))).toBe(true);
    // The rule naming "sales" is not wrong: that queue exists, only one of its fields is.
    expect(problems.filter((p) => p.includes('"sales"'))).toEqual([]);
  });

  it('lists every YAML syntax error, not only the first, and still checks the environment', () => {
    const yaml = ['desk:', '  language: en', '  language: zh', 'queues: [a, b', 'routing:', '  - x', '   y: 1'].join('\n');
    const problems = problemsOf(loadConfig({ ...SLACK, ...API, PORT: 'eighty' }, file(yaml)));
    const yamlProblems = problems.filter((p) => p.includes('is not valid YAML'));
    expect(yamlProblems).toHaveLength(3);
    expect(yamlProblems[0]).toMatch(/Map keys must be unique at line 3, column 3/);
    expect(yamlProblems[1]).toMatch(/at line 5, column 1/);
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
  });
});

describe('did you mean', () => {
  it('names the key an unknown YAML key is closest to, at every level', () => {
    const yaml = ['desk:', '  comand_prefix: "?"', 'queues:', '  - name: vip', '    stiky_days: 3', 'routng:', '  rules: []', 'security:', '  failed_logins: { count: 3, window_minute: 5 }', 'totally_new: 1'].join('\n');
    const problems = problemsOf(loadConfig({ ...SLACK, ...API }, file(yaml)));
    expect(problems).toContainEqual(expect.stringContaining('desk: unknown key(s) comand_prefix (did you mean "command_prefix"?)'));
    expect(problems).toContainEqual(expect.stringContaining('queues.0: unknown key(s) stiky_days (did you mean "sticky_days"?)'));
    expect(problems).toContainEqual(expect.stringContaining('routng (did you mean "routing"?)'));
    expect(problems).toContainEqual(expect.stringContaining('window_minute (did you mean "window_minutes"?)'));
    expect(problems.find((p) => p.includes('totally_new'))).not.toContain('totally_new (did you mean');
  });

  it('names the variable a misspelt environment name is closest to, and leaves other programs\' variables alone', () => {
    const problems = problemsOf(loadConfig({ ...API, SLACK_BOT_TOKN: 'xoxb-1', SLACK_SIGNING_SECRET: SLACK.SLACK_SIGNING_SECRET, SLACK_CHANNEL: 'C0SUPPORT', REDIS_PREFX: 'x:', HOME: '/root', PATH: '/bin', HOSTNAME: 'box', NODE_ENV: 'production', TEST_REDIS_URL: 'redis://x' }, file('')));
    expect(problems).toContainEqual('SLACK_BOT_TOKN is not a variable threaddesk reads (did you mean SLACK_BOT_TOKEN?). Rename it, or remove it if it belongs to something else.');
    expect(problems).toContainEqual(expect.stringContaining('REDIS_PREFX is not a variable threaddesk reads (did you mean REDIS_PREFIX?)'));
    expect(problems.filter((p) => /HOME|PATH|HOSTNAME|NODE_ENV|TEST_REDIS_URL/.test(p))).toEqual([]);
  });

  it('measures edits as Levenshtein distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('PORT', 'PORT')).toBe(0);
    expect(misspeltEnvNames(['WEBCHAT_ORIGIN', 'DISCORD_TOKEN', 'LOG_LEVL'], knownEnvNames(MODULES))).toEqual([
      'WEBCHAT_ORIGIN is not a variable threaddesk reads (did you mean WEBCHAT_ORIGINS?). Rename it, or remove it if it belongs to something else.',
      'LOG_LEVL is not a variable threaddesk reads (did you mean LOG_LEVEL?). Rename it, or remove it if it belongs to something else.',
    ]);
  });
});
