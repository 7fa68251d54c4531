import type { Command } from './types.js';
import { claimCommand, closeCommand, releaseCommand, reopenCommand } from './conversation.js';
import { transferCommand } from './transfer.js';
import { escalateCommand } from './escalate.js';
import { statusCommand } from './status.js';
import { seatCommand } from './seat.js';
import { assignCommand, revokeCommand } from './grant.js';
import { auditCommand } from './audit.js';
import { alertsCommand } from './alerts.js';
import { exportCommand } from './export.js';
import { langCommand } from './lang.js';
import { helpCommand } from './help.js';
import { queueCommand } from './queue.js';
import { statsCommand } from './stats.js';
import { tagCommandSpec, untagCommand } from './tag.js';
import { templateCommand } from './template.js';

/** Every command by name: the same on every messenger (SPEC §6), in the order their command lists show them. */
export const COMMANDS: Readonly<Record<string, Command>> = Object.fromEntries(
  [claimCommand, releaseCommand, closeCommand, reopenCommand, transferCommand, escalateCommand, tagCommandSpec, untagCommand, templateCommand, statusCommand, queueCommand, statsCommand, langCommand, seatCommand, assignCommand, revokeCommand, auditCommand, alertsCommand, exportCommand, helpCommand(() => Object.values(COMMANDS))].map((c) => [c.name, c]),
);
