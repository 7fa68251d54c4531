import type { DeskDeps } from './desk-deps.js';
import type { Conversation } from './model.js';
import type { ClaimPorts } from './claims/claim.js';
import type { ReleasePorts } from './claims/release.js';
import type { CloseReopenPorts } from './claims/close-reopen.js';
import type { TransferPorts } from './claims/transfer.js';
import type { EscalatePorts } from './escalate.js';
import type { AssignPorts } from './assignment/assign-waiting.js';
import type { ReceiveDeps } from './intake/receive-customer-message.js';
import type { ReplyDeps } from './reply-to-customer.js';
import type { QuoteDeps } from './intake/find-quoted-message.js';
import type { NumberChangeDeps } from './intake/change-customer-number.js';
import type { ExportPorts } from './export-transcripts.js';
import type { StatsPortsForRead } from './stats/stats-for-seat.js';
import type { OverviewPorts } from './overview/queue-overview.js';
import { Notifier } from './notifier.js';
import { QueueRouter } from './queue-router.js';
import { StatsRecorder, type StatsPorts } from './stats/stats-recorder.js';
import { departmentZone } from './stats/department-zone.js';

/** The ports the claim use cases, escalation and notes share. */
export type ChatPorts = ClaimPorts & ReleasePorts & CloseReopenPorts & TransferPorts & EscalatePorts & AssignPorts;

/** Each use case's narrow ports, cut from what the composition root gives the desk. */
export interface DeskPorts {
  router: QueueRouter;
  notifier: Notifier;
  recorder: StatsRecorder;
  chat: ChatPorts;
  intake: ReceiveDeps;
  replies: ReplyDeps;
  lookups: QuoteDeps & NumberChangeDeps;
  exports: ExportPorts;
  figures: StatsPortsForRead;
  overview: OverviewPorts;
}

export function deskPorts(parts: DeskDeps): DeskPorts {
  const { store, clock, newId, locks, conversations, seats, outbox, audit, dedupe, settings } = parts;
  const router = new QueueRouter(settings);
  const departmentOf = (conv: Pick<Conversation, 'queue'>) => router.departmentOf(conv);
  const messengerOf = (conv: Pick<Conversation, 'queue'>) => router.messengerOf(conv);
  const serviceOf = (queue: string) => router.find(queue)?.service;
  const notifier = new Notifier({ outbox, messengerOf });
  const routing = settings.routing ?? { rules: [], overload: 15, underload: 5 };
  // A department's time zone, worked out once (its queues' hours, else the fallback).
  const zones = new Map<string, string>();
  const zoneOf = (department: string): string => {
    let zone = zones.get(department);
    if (!zone) zones.set(department, (zone = departmentZone(settings.queues, department, settings.fallbackTimeZone ?? 'UTC')));
    return zone;
  };
  const recorder = new StatsRecorder((queue) => zoneOf(router.departmentOf({ queue })));
  const stats: StatsPorts = { recorder, store };
  return {
    router, notifier, recorder,
    chat: { store, clock, locks, conversations, seats, audit, notifier, departmentOf, assignmentOf: (queue) => router.assignmentOf(queue), routing, stats },
    intake: {
      store, clock, newId, locks, conversations, outbox, dedupe, routeOf: (input) => router.route(input), messengerOf, serviceOf,
      ...(parts.autoReplyWords ? { autoReplyWords: parts.autoReplyWords } : {}), stats,
    },
    replies: { store, clock, conversations, outbox, dedupe, departmentOf, channels: settings.channels, serviceOf, stats },
    lookups: { store, locks, conversations },
    exports: { lists: store, conversations, departmentOf },
    figures: { store, seats, clock, queues: settings.queues, zoneOf },
    overview: { store, clock, conversations, seats, queues: settings.queues, channels: settings.channels },
  };
}
