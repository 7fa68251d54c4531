import type { Catalogue } from './en.js';
import { zhCNFailures } from './zh-CN/failures.js';
import { zhCNThread } from './zh-CN/thread.js';
import { zhCNAnswers } from './zh-CN/answers.js';
import { zhCNCommands } from './zh-CN/commands.js';
import { zhCNUsage } from './zh-CN/usage.js';
import { zhCNReplies } from './zh-CN/replies.js';

/** 简体中文 (zh-CN). Same keys and placeholders as `en.ts`; the catalogue test checks both. */
export const zhCN = {
  ...zhCNFailures,
  ...zhCNThread,
  ...zhCNAnswers,
  ...zhCNCommands,
  ...zhCNUsage,
  ...zhCNReplies,
} as const satisfies Catalogue;

/**
 * Chinese words for the thread commands (`!认领` = `!claim`). Command names
 * stay ASCII everywhere (slash commands, buttons); these are accepted after
 * the in-thread prefix and listed by `/help`.
 */
export const zhCNAliases = {
  认领: 'claim',
  释放: 'release',
  转接: 'transfer',
  升级: 'escalate',
  关闭: 'close',
  重开: 'reopen',
  备注: 'note',
  标签: 'tag',
  取消标签: 'untag',
  模板: 'template',
} as const;
