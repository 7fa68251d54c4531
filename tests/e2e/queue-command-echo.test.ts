import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { echoDriver } from '../support/drivers/echo.js';
import type { DriverSession } from '../support/messenger-driver.js';
import { waitFor } from '../support/wait-until.js';

/**
 * A messenger that renders no rich view (Echo, defined in tests/ only) still
 * answers `/queue`: the outbox item carries the view's plain text, which says
 * how to claim without buttons.
 */
describe('/queue on a messenger without rich views', () => {
  let s: DriverSession;
  beforeAll(async () => { s = await echoDriver.start('embedded'); });
  afterAll(async () => { await s?.h.close(); });

  it('tells the asker privately, in plain text, what waits and how to claim it', async () => {
    await actions(s.h).customerWrites('491709990001', 'Hello there', { name: 'Pia' });
    const thread = await s.threadWith('Hello there');
    s.h.clock.advance(7 * 60_000);
    expect((await s.agentWrites(s.users.seat, thread, '!queue default')).status).toBe(200);
    const [waiting] = await s.h.app.store.zRangeByScore('waiting:default', 0, Number.MAX_SAFE_INTEGER);
    const told = await waitFor(() => s.privateTextsTo(s.users.seat).find((t) => t.includes('Queue default')));
    expect(told).toContain('1 conversation waits, oldest first:');
    expect(told).toContain(`• Pia · WhatsApp · waiting 7 minutes (${waiting!.member})`);
    expect(told).toContain('type `!claim` in its thread');
  });
});
