import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import type { UnitOfWork } from '@hips/database';
import { OutboxRepository } from '@hips/deadlines';
import { CaseNotifier } from './case-notifier.service';
import type { EscalationRow } from '../mappers';
import { EventRepository } from '../persistence/event.repository';

/** An event of one case. */
export interface CaseEvent {
  row: EscalationRow;
  kind: string;
  stage: number | null;
  detail: string | null;
}

/**
 * The case's chronology: each event with its ESCALATION_EVENT outbox row (notifications, webhooks and
 * subscriptions leave through the outbox, docs/architecture.md "Outbox") and its notifications.
 */
@Injectable()
export class CaseChronicle {
  constructor(
    private readonly events: EventRepository,
    private readonly notifier: CaseNotifier,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
  ) {}

  /** One event, its outbox row and its notifications. */
  async record(uow: UnitOfWork, e: CaseEvent): Promise<void> {
    const [event] = await this.recordMany(uow, [e]);
    await this.notifier.eventRecorded(uow, e.row.id, {
      id: event.id,
      kind: e.kind,
      at: event.at,
      stage: e.stage,
    });
  }

  /** Events of a batch and their outbox rows, a statement each (the caller notifies). */
  async recordMany(uow: UnitOfWork, items: CaseEvent[]): Promise<{ id: string; at: Date }[]> {
    const events = await this.events.insertMany(
      uow,
      items.map((i) => ({
        escalationId: i.row.id,
        kind: i.kind,
        stage: i.stage,
        detail: i.detail,
      })),
    );
    await this.outbox.insertMany(
      uow,
      'ESCALATION_EVENT',
      items.map((i, n) => ({
        dedupeKey: `event-${events[n].id}`,
        payload: {
          escalationId: i.row.id,
          eventId: events[n].id,
          reference: i.row.reference,
          kind: i.kind,
          stage: i.stage,
        },
      })),
    );
    return events;
  }

  /** An action's event and its audit row (the audit append last: it serialises the partnership). */
  async recordAction(uow: UnitOfWork, e: CaseEvent & { stage: number }, action: string): Promise<void> {
    await this.record(uow, e);
    await this.audit.record(uow.em, uow.ctx, {
      action,
      entityType: 'Escalation',
      entityId: e.row.id,
      detail: { stage: e.stage },
    });
  }
}
