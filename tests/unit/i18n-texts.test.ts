import { describe, expect, it } from 'vitest';
import { headerCard } from '../../src/core/header-card.js';
import type { Conversation } from '../../src/core/model.js';
import type { Alert } from '../../src/core/security/alerts.js';
import { classifyThreadMessage } from '../../src/core/thread-message.js';
import { renderHeader as slackHeader } from '../../src/bot/slack/render.js';
import { renderHeader as telegramHeader } from '../../src/bot/telegram/render.js';
import { renderHeader as discordHeader } from '../../src/bot/discord/render.js';
import { describeFailure } from '../../src/handlers/describe-failure.js';
import { alertActions, alertText } from '../../src/handlers/alert-text.js';
import { aliasesOf, commandOfAlias } from '../../src/i18n/aliases.js';
import { queueLanguage, readerLanguage } from '../../src/i18n/choose-language.js';
import { formatDuration, formatTime } from '../../src/i18n/format-time.js';

const HOUR = 3600_000;
const AT = Date.UTC(2026, 10, 3, 9, 30);
const conv: Conversation = {
  id: 'conv-1', channel: 'whatsapp', account: '1555', customer: { id: 'c-1', name: 'Li Wei' }, queue: 'refunds',
  status: 'open', createdAt: AT, lastCustomerAt: AT,
};
const channels = { whatsapp: { label: 'WhatsApp', labelWithAccount: false, replyWindowMs: 24 * HOUR } };
const alert: Alert = {
  id: 'a1b2c3', rule: 'failed-login-burst', subject: 'ana@example.com', severity: 'medium',
  summary: '5 failed logins for ana@example.com within 10 minutes.', evidence: { failures: 5, threshold: '5 in 10 minutes' },
  at: AT, suppressedBefore: 2,
};

describe('texts in each language (snapshots: a reviewer reads them here)', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`header card in ${lang} on Slack, Telegram and Discord`, () => {
      const card = headerCard(conv, 'Ana', AT + HOUR, channels as never, lang);
      expect(slackHeader(card)).toMatchSnapshot('slack');
      expect(telegramHeader(card)).toMatchSnapshot('telegram');
      expect(discordHeader(card)).toMatchSnapshot('discord');
    });

    it(`the refusal "this chat is claimed by …" in ${lang}`, () => {
      expect(describeFailure({ code: 'not_claimer', detail: { holder: 'Ana' } }, { lang })).toMatchSnapshot();
    });

    it(`a security alert in ${lang}, first and when nobody acknowledged it`, () => {
      expect(alertText(alert, false, lang)).toMatchSnapshot('first');
      expect(alertText(alert, true, lang)).toMatchSnapshot('escalation');
      expect(alertActions(alert, lang)).toMatchSnapshot('button');
    });
  }

  it('a closed window in Chinese says when, in Chinese date order', () => {
    expect(describeFailure({ code: 'window_closed', detail: { channel: 'WhatsApp', windowHours: 24, closesAt: AT } }, { lang: 'zh-CN' }))
      .toBe('⚠️ 未发送：WhatsApp 只允许在客户最后一条消息后的 24 小时内自由回复（已于 2026年11月03日 09:30（UTC）关闭）。客户需要再次来信后你才能回复；你的内容保留在本话题中。');
  });

  it('translates the English phrases a refusal carries (the action, who was named), and keeps unknown ones', () => {
    expect(describeFailure({ code: 'permission_denied', detail: { action: 'export transcripts' } }, { lang: 'zh-CN' })).toBe('你的角色不允许在这里导出会话记录。请主管或管理员用 `/assign` 授权。');
    expect(describeFailure({ code: 'unknown_seat', detail: { who: 'The person you named' } }, { lang: 'zh-CN' })).toMatch(/^你指定的人 在这里没有坐席/);
    expect(describeFailure({ code: 'permission_denied', detail: { action: 'fly' } }, { lang: 'zh-CN' })).toContain('在这里fly');
  });

  it('words the keys and values core gives (a role it may not give, why a colleague cannot take a chat, an unknown template)', () => {
    const give = { code: 'permission_denied' as const, detail: { action: 'action.give_role', roles: 'supervisor' } };
    expect(describeFailure(give)).toBe('Your roles do not allow you to give the supervisor role here. Ask a supervisor or admin to grant it with `/assign`.');
    expect(describeFailure(give, { lang: 'zh-CN' })).toBe('你的角色不允许在这里授予 supervisor 角色。请主管或管理员用 `/assign` 授权。');
    const full = { code: 'receiver_unavailable' as const, detail: { seat: 'Sam', why: 'they already hold 5 chats, their maximum' } };
    expect(describeFailure(full)).toBe('Sam cannot take this conversation: they already hold 5 chats, their maximum. Pick someone else.');
    expect(describeFailure(full, { lang: 'zh-CN' })).toBe('Sam 无法接手这个会话：其已有 5 个会话，达到上限。请选择其他人。');
    expect(describeFailure({ code: 'bad_arguments', detail: { usage: 'usage.template_unknown', template: 'night', known: 'day' } }))
      .toBe('That did not work: template "night" does not exist; known: day.');
  });
});

describe('times and durations', () => {
  it('writes a moment in the language and time zone asked for', () => {
    expect(formatTime('en', AT)).toBe('2026-11-03 09:30 UTC');
    expect(formatTime('zh-CN', AT, 'Asia/Shanghai')).toBe('2026年11月03日 17:30（Asia/Shanghai）');
  });

  it('writes durations with the language\'s plurals', () => {
    expect(formatDuration('en', 60_000)).toBe('1 minute');
    expect(formatDuration('en', 3 * HOUR)).toBe('3 hours');
    expect(formatDuration('zh-CN', 3 * 24 * HOUR)).toBe('3 天');
  });
});

describe('choosing the language', () => {
  const settings = { language: 'zh-CN', queues: { refunds: { language: 'en' }, sales: {} } };

  it('a seat reads its own language, else the desk\'s; someone with no seat their messenger\'s locale, else the desk\'s', () => {
    expect(readerLanguage(settings, { lang: 'en' })).toBe('en');
    expect(readerLanguage(settings, {})).toBe('zh-CN');
    expect(readerLanguage({ ...settings, language: 'en' }, {}, { locale: 'zh-hans' })).toBe('en');
    expect(readerLanguage({ ...settings, language: 'en' }, undefined, { locale: 'zh-hans' })).toBe('zh-CN');
    expect(readerLanguage(settings, undefined, { locale: 'fr' })).toBe('zh-CN');
  });

  it('a queue speaks its language, else the desk\'s', () => {
    expect(queueLanguage(settings, 'refunds')).toBe('en');
    expect(queueLanguage(settings, 'sales')).toBe('zh-CN');
    expect(queueLanguage(settings, 'constructor')).toBe('zh-CN');
  });
});

describe('Chinese aliases of the thread commands', () => {
  it('are commands in a thread and stand for the ASCII ones', () => {
    const rules = { notePrefixes: ['//'], commandPrefix: '!' };
    expect(classifyThreadMessage('!认领', [], rules)).toEqual({ kind: 'command', name: '认领', args: '' });
    expect(classifyThreadMessage('!转接 客户要退款', [], rules)).toEqual({ kind: 'command', name: '转接', args: '客户要退款' });
    expect(['认领', '释放', '转接', '升级', '关闭', '重开', '备注'].map(commandOfAlias)).toEqual(['claim', 'release', 'transfer', 'escalate', 'close', 'reopen', 'note']);
    expect(commandOfAlias('claim')).toBe('claim');
    expect(aliasesOf('claim')).toEqual(['认领']);
  });
});
