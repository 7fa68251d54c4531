import type { Config } from '../config/config.js';
import type { Desk } from '../core/desk.js';
import type { Deliverer } from '../core/outbox/deliverer.js';
import type { Via } from '../core/outbox/items.js';
import type { Clock, StorePort } from '../core/ports.js';
import type { Failure } from '../core/result.js';
import type { AgentFileFetcher } from '../core/files/agent-file-stream.js';
import type { SecurityMonitor } from '../core/security/security-monitor.js';
import type { AdapterContext, MediaFetcher, MessengerAdapter } from '../bot/messenger-adapter.js';
import { scopedState } from '../bot/kit/state-port.js';
import type { ChannelParts } from '../channels/channel-module.js';
import { reportSendFailure } from '../handlers/after-delivery.js';
import type { Route, UpgradeRoute } from '../http/types.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';

export interface MountedModules {
  deliverers: Partial<Record<Via, Deliverer>>;
  routes: Route[];
  upgrades: UpgradeRoute[];
  channels: Record<string, ChannelParts>;
  messengers: MessengerAdapter[];
}

/** The customer channel a messenger's bot carries, if one is configured. */
function carriedBy(channels: Record<string, ChannelParts>, messenger: string): Pick<AdapterContext, 'carried'> {
  const carried = Object.values(channels).find((c) => c.carried?.by === messenger)?.carried;
  return carried ? { carried } : {};
}

/** Customer channels, then messengers: each configured module builds its own part; none is named here. */
export async function mountModules(config: Config, w: { desk: Desk; store: StorePort; log: Logger; metrics: Metrics; monitor: SecurityMonitor; clock: Clock; instanceId: string }): Promise<MountedModules> {
  const { desk, store, log, metrics } = w;
  const deliverers: Partial<Record<Via, Deliverer>> = {};
  const routes: Route[] = [];
  const upgrades: UpgradeRoute[] = [];
  // Channels are made first; the messenger holding an agent's file is looked up when a reply runs.
  const fetchAgentFile: AgentFileFetcher = async (file) => messengers.find((m) => m.platform === file.platform)?.fetchAgentFile?.(file)
    ?? { ok: false, retry: false, reason: `${file.platform} gives no files` };
  const channelCtx = { desk, store, log, metrics, monitor: w.monitor, fetchAgentFile, reportSendFailure: (convId: string, failure: Failure) => reportSendFailure(desk, convId, failure) };
  const channels: Record<string, ChannelParts> = {};
  for (const [id, c] of Object.entries(config.channels)) {
    const parts = (channels[id] = c.create(channelCtx));
    if (parts.deliverer) deliverers[id] = parts.deliverer;
    routes.push(...parts.routes);
    upgrades.push(...(parts.upgrades ?? []));
    if (parts.showTyping) desk.typing.register(id, parts.showTyping);
  }
  const fetchMedia: MediaFetcher = async (conv, a) => channels[conv.channel]?.fetchMedia?.(conv, a);
  // Each messenger's own state lives under its own prefix; the dedupe marks and leases are shared.
  // Creating one loads its SDK (a dynamic import), so only configured messengers load theirs.
  const messengers: MessengerAdapter[] = await Promise.all(Object.values(config.messengers).map((m) => m.create({
    desk, log, instanceId: w.instanceId, metrics, clock: w.clock, dedupe: desk.dedupe, fetchMedia,
    state: scopedState(store, m.statePrefix), leases: { atomic: store, shared: store.kind === 'redis' },
    ...carriedBy(channels, m.id),
  } satisfies AdapterContext)));
  for (const m of messengers) {
    deliverers[m.platform] = m.deliverer;
    routes.push(...m.routes);
  }
  return { deliverers, routes, upgrades, channels, messengers };
}
