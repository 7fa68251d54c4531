import type { Failure } from '../../core/result.js';
import type { WecomClient, WecomResult } from './wecom-client.js';

/**
 * Service states (K7; platform-facts.md §2): 0 untreated, 1 smart assistant,
 * 2 queue pool, 3 human servicer (WeCom client), 4 ended. API sends work in
 * 0 and 1 only; 2 and 3 answer 95018, and 4 changes only by a customer message.
 */
export type ServiceState = 0 | 1 | 2 | 3 | 4;

/**
 * Makes sure the desk may send to the customer: an untreated session (0) is
 * moved to the smart assistant (1) with `service_state/trans`, so WeCom's own
 * reception rules do not hand it to the pool while the desk answers it; 1 is
 * fine; 2 and 3 belong to the WeCom client, 4 has ended. Undefined when
 * sending may go on, else the failure to tell (or an API error).
 */
export async function ensureSendable(client: WecomClient, openKfId: string, customer: string): Promise<WecomResult<Failure | undefined>> {
  const got = await client.post<{ service_state?: number }>('/cgi-bin/kf/service_state/get', { open_kfid: openKfId, external_userid: customer });
  if (!got.ok) return got;
  const state = got.value.service_state;
  if (state === 1) return { ok: true, value: undefined };
  if (state === 0) {
    const moved = await client.post('/cgi-bin/kf/service_state/trans', { open_kfid: openKfId, external_userid: customer, service_state: 1 });
    // 95016 (transition refused): someone moved it meanwhile; the send itself will say what WeCom thinks.
    if (!moved.ok && moved.error.errcode !== 95016) return moved;
    return { ok: true, value: undefined };
  }
  if (state === 2 || state === 3) return { ok: true, value: { code: 'session_with_servicer', detail: { channel: 'WeChat' } } };
  if (state === 4) return { ok: true, value: { code: 'session_ended', detail: { channel: 'WeChat' } } };
  return { ok: true, value: undefined };
}
