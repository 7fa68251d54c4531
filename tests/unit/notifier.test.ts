import { describe, expect, it } from 'vitest';
import { Notifier } from '../../src/core/notifier.js';
import { RecordingOutbox, conversation, router, seat } from './memory-desk-ports.js';

function notifier(): { notifier: Notifier; outbox: RecordingOutbox } {
  const outbox = new RecordingOutbox();
  return { notifier: new Notifier({ outbox, messengerOf: (c) => router.messengerOf(c) }), outbox };
}

describe('the Notifier', () => {
  it('queues a thread notice on the conversation\'s thread lane, for the messenger of its queue', async () => {
    const { notifier: n, outbox } = notifier();
    await n.notice(conversation('c1'), 'hello agents');
    await n.notice(conversation('c2', { queue: 'billing' }), 'hello finance');
    expect(outbox.appended).toEqual([
      { lane: 't:c1', via: 'slack', payload: { op: 'thread.notice', convId: 'c1', text: 'hello agents' } },
      { lane: 't:c2', via: 'discord', payload: { op: 'thread.notice', convId: 'c2', text: 'hello finance' } },
    ]);
  });

  it('sends a conversation of an unknown queue to the default queue\'s messenger', async () => {
    const { notifier: n, outbox } = notifier();
    await n.refreshHeader({ id: 'c3', queue: 'gone-from-config' });
    expect(outbox.appended).toEqual([{ lane: 'h:c3', via: 'slack', payload: { op: 'thread.header', convId: 'c3' } }]);
  });

  it('keeps header refreshes and delivered marks on their own lanes', async () => {
    const { notifier: n, outbox } = notifier();
    await n.refreshHeader(conversation('c1'));
    await n.markDelivered(conversation('c1'), 'ts-1');
    expect(outbox.appended).toEqual([
      { lane: 'h:c1', via: 'slack', payload: { op: 'thread.header', convId: 'c1' } },
      { lane: 't:c1', via: 'slack', payload: { op: 'thread.delivered', convId: 'c1', messageId: 'ts-1' } },
    ]);
  });

  it('marks a message read on the same thread lane as its delivered mark, so 👀 never comes before ✓', async () => {
    const { notifier: n, outbox } = notifier();
    await n.markDelivered(conversation('c1'), 'ts-1');
    await n.markDelivered(conversation('c1'), 'ts-1', 'read');
    expect(outbox.appended.map((a) => [a.lane, a.payload])).toEqual([
      ['t:c1', { op: 'thread.delivered', convId: 'c1', messageId: 'ts-1' }],
      ['t:c1', { op: 'thread.delivered', convId: 'c1', messageId: 'ts-1', mark: 'read' }],
    ]);
  });

  it('tells one person privately on their messenger, with the place only when it is known', async () => {
    const { notifier: n, outbox } = notifier();
    await n.tellPrivately('telegram', '42', 'only you');
    await n.tellPrivately('slack', 'U1', 'here', { channel: 'C1', thread: '1.2' });
    expect(outbox.appended).toEqual([
      { lane: 'p:telegram:42', via: 'telegram', payload: { op: 'private', platform: 'telegram', user: '42', text: 'only you' } },
      { lane: 'p:slack:U1', via: 'slack', payload: { op: 'private', platform: 'slack', user: 'U1', text: 'here', channel: 'C1', thread: '1.2' } },
    ]);
  });

  it('DMs a seat on its first binding, with a link, a file and buttons only when given', async () => {
    const { notifier: n, outbox } = notifier();
    const alex = seat('alex', { bindings: [{ platform: 'discord', userId: '77' }, { platform: 'slack', userId: 'U9' }] });
    await n.dmSeat(alex, 'plain');
    await n.dmSeat(alex, 'full', 'c1', { path: '/tmp/x.csv', name: 'x.csv' }, [{ id: 'alerts ack a1', label: 'Acknowledge', fallback: '/alerts ack a1' }]);
    await n.dmSeat(alex, 'no buttons', undefined, undefined, []);
    expect(outbox.appended).toEqual([
      { lane: 'p:discord:77', via: 'discord', payload: { op: 'dm', platform: 'discord', user: '77', text: 'plain' } },
      {
        lane: 'p:discord:77', via: 'discord',
        payload: {
          op: 'dm', platform: 'discord', user: '77', text: 'full', convId: 'c1', file: { path: '/tmp/x.csv', name: 'x.csv' },
          actions: [{ id: 'alerts ack a1', label: 'Acknowledge', fallback: '/alerts ack a1' }],
        },
      },
      { lane: 'p:discord:77', via: 'discord', payload: { op: 'dm', platform: 'discord', user: '77', text: 'no buttons' } },
    ]);
  });

  it('sends nothing to a seat bound to no messenger', async () => {
    const { notifier: n, outbox } = notifier();
    await n.dmSeat(seat('ghost', { bindings: [] }), 'anyone there?');
    expect(outbox.appended).toEqual([]);
  });
});
