import {
  escalationEventsChannel,
  parseEscalationEventMessage,
  publishEscalationEvent,
} from './escalation-event-channel';
import { EventDispatcher, SubscriberTooSlowError } from './event-dispatcher';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const message = {
  partnershipId: id(1),
  escalationId: id(2),
  eventId: id(3),
  kind: 'RAISED',
  at: new Date('2026-11-24T10:00:00Z'),
  stage: 1,
  actorPersonId: id(4),
  raisingAgencyId: id(5),
  respondingAgencyId: id(6),
};

describe('publishEscalationEvent', () => {
  it('publishes ids only, as JSON, on <prefix>:escalation-events', async () => {
    const sent: [string, string][] = [];
    const redis = { publish: (c: string, m: string) => Promise.resolve(sent.push([c, m])) };
    await publishEscalationEvent(redis, 'hips', { ...message, child: { nhsNumber: '9434765919' } } as never);
    expect(sent[0][0]).toBe('hips:escalation-events');
    expect(escalationEventsChannel('x')).toBe('x:escalation-events');
    expect(JSON.parse(sent[0][1])).toEqual({ ...message, at: '2026-11-24T10:00:00.000Z' });
    expect(sent[0][1]).not.toContain('9434765919');
  });

  it('refuses malformed messages', async () => {
    const redis = { publish: () => Promise.resolve(0) };
    await expect(publishEscalationEvent(redis, 'hips', { ...message, eventId: 'x' })).rejects.toThrow();
    await expect(publishEscalationEvent(redis, 'hips', { ...message, kind: 'free text' })).rejects.toThrow();
    expect(parseEscalationEventMessage('not json')).toBeNull();
    expect(parseEscalationEventMessage(JSON.stringify({ ...message, stage: -1 }))).toBeNull();
    expect(
      parseEscalationEventMessage(JSON.stringify({ ...message, stage: null, actorPersonId: null })),
    ).toEqual({
      ...message,
      at: '2026-11-24T10:00:00.000Z',
      stage: null,
      actorPersonId: null,
    });
  });
});

describe('EventDispatcher', () => {
  it('hands items in order to the subscribers that accept them', async () => {
    const dispatcher = new EventDispatcher<number>(10);
    const even = dispatcher.subscribe((n) => n % 2 === 0);
    const all = dispatcher.subscribe(() => true);
    const pending = even.take();
    for (const n of [1, 2, 3, 4]) dispatcher.publish(n);
    expect(await pending).toBe(2);
    expect(await even.take()).toBe(4);
    expect([await all.take(), await all.take(), await all.take(), await all.take()]).toEqual([1, 2, 3, 4]);
  });

  it('ends a waiting take() with null on close and forgets the subscriber', async () => {
    const dispatcher = new EventDispatcher<number>(10);
    const queue = dispatcher.subscribe(() => true);
    const pending = queue.take();
    queue.close();
    expect(await pending).toBeNull();
    expect(dispatcher.subscriberCount).toBe(0);
    dispatcher.publish(1);
    expect(await queue.take()).toBeNull();
  });

  it('drops a subscriber that falls too far behind, without affecting the others', async () => {
    const dispatcher = new EventDispatcher<number>(3);
    const slow = dispatcher.subscribe(() => true);
    const fast = dispatcher.subscribe(() => true);
    for (const n of [1, 2, 3, 4]) {
      dispatcher.publish(n);
      expect(await fast.take()).toBe(n);
    }
    await expect(slow.take()).rejects.toBeInstanceOf(SubscriberTooSlowError);
    expect(dispatcher.subscriberCount).toBe(1);
  });

  it('a throwing filter only skips that subscriber', async () => {
    const dispatcher = new EventDispatcher<number>(3);
    dispatcher.subscribe(() => {
      throw new Error('boom');
    });
    const ok = dispatcher.subscribe(() => true);
    dispatcher.publish(7);
    expect(await ok.take()).toBe(7);
  });
});
