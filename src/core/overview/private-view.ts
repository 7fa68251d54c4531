import type { QueueOverview } from './queue-overview.js';
import type { DepartmentStats } from '../stats/read-stats.js';
import type { TemplateInfo } from '../templates/template-list.js';

/**
 * A rich private answer, platform-neutral like the header card: facts and
 * the language to say them in; each messenger renders it in its own form
 * (Block Kit, inline keyboard, embed and components), and the outbox item
 * that carries it also carries a plain-text rendering for messengers that
 * render none.
 */
export type PrivateView = {
  kind: 'queues';
  /** The reader's language. */
  lang: string;
  queues: QueueOverview[];
} | {
  /** `/stats` and the weekly digest: figures per department. */
  kind: 'stats';
  lang: string;
  departments: DepartmentStats[];
} | {
  /** A closed window's template picker (SPEC §13): the approved templates, for the conversation that refused a reply. */
  kind: 'templates';
  lang: string;
  convId: string;
  templates: TemplateInfo[];
};
