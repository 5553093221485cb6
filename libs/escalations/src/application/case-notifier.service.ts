import { Inject, Injectable } from '@nestjs/common';
import { caseLink } from '@hips/common';
import type { UnitOfWork } from '@hips/database';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { formatLondonInstant } from '@hips/core';
import { NotificationToQueue, queueNotifications } from '@hips/notifications';
import { enqueueWebhookDeliveries, enqueueWebhookDeliveriesMany, WebhookEvent } from '@hips/webhooks';
import type { RoleType } from '@hips/core';
import type { EscalationRow, StageRow } from '../mappers';
import {
  activeEmails,
  firstManagerOf,
  partnershipContactEmail,
  partnershipManagerIds,
} from '@hips/directory';
import { caseVisibility } from '../access/case-visibility.policy';
import { StageOwnerRouter } from './stage-owner-router.service';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';

/** A reminder or breach event of a fired deadline, with its case and stage as they are now. */
export interface DeadlineEvent {
  event: { id: string; kind: 'REMINDER_SENT' | 'STAGE_BREACHED'; at: Date };
  row: EscalationRow;
  stage: StageRow;
}

interface Recipient {
  personId: string | null;
  email: string;
}

/**
 * Who is told what (docs/procedure.md §8), written to the notification and webhook outboxes in the transaction of the
 * change. Messages carry the case reference, the stage, the due time and a link: never child identifiers, and no
 * free text other than an outcome statement shared with both agencies.
 */
@Injectable()
export class CaseNotifier {
  constructor(
    private readonly router: StageOwnerRouter,
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private link(row: EscalationRow): string {
    return caseLink(this.config.publicUrl, row.id);
  }

  private async people(uow: UnitOfWork, ids: (string | null | undefined)[]): Promise<Recipient[]> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) return [];
    const rows = await activeEmails(uow, wanted);
    return rows.map((r) => ({ personId: r.id, email: r.email }));
  }

  /** The partnership's contact address, and with `withManagers` its partnership managers. */
  private async partnershipContacts(uow: UnitOfWork, withManagers: boolean): Promise<Recipient[]> {
    const contact = await partnershipContactEmail(uow);
    const lscp: Recipient[] = contact !== null ? [{ personId: null, email: contact }] : [];
    if (!withManagers) return lscp;
    return [...lscp, ...(await this.people(uow, await partnershipManagerIds(uow)))];
  }

  private async queue(
    uow: UnitOfWork,
    row: EscalationRow,
    key: string,
    kind: string,
    recipients: Recipient[],
    subject: string,
    lines: string[],
  ): Promise<void> {
    await queueNotifications(
      uow.em,
      uow.partnershipId,
      this.compose(row, key, kind, recipients, subject, lines),
    );
  }

  /** One message per distinct address, keyed so that an effect run twice notifies once. */
  private compose(
    row: EscalationRow,
    key: string,
    kind: string,
    recipients: Recipient[],
    subject: string,
    lines: string[],
  ): NotificationToQueue[] {
    const seen = new Set<string>();
    const notifications: NotificationToQueue[] = [];
    for (const r of recipients) {
      if (seen.has(r.email)) continue;
      seen.add(r.email);
      notifications.push({
        dedupeKey: `${key}:${r.email}`,
        escalationId: row.id,
        kind,
        recipientPersonId: r.personId,
        recipientEmail: r.email,
        subject: `${row.reference}: ${subject}`,
        body: [...lines, '', `Open the case: ${this.link(row)}`].join('\n'),
      });
    }
    return notifications;
  }

  private dueLine(stage: Pick<StageRow, 'number' | 'name' | 'due_at'>): string {
    return stage.due_at
      ? `Stage ${stage.number} (${stage.name}) is due ${formatLondonInstant(stage.due_at)} (Europe/London).`
      : `Stage ${stage.number} (${stage.name}) has no deadline.`;
  }

  /** A stage opened (raised or escalated): its owners, the raiser and the raiser's manager; the LSCP from stage 3. */
  async stageOpened(uow: UnitOfWork, escalationId: string, stage: StageRow): Promise<void> {
    // The case as it is now in this transaction (callers may hold a row from before their own update).
    const row = await this.cases.find(uow, escalationId);
    const raiserManager = row.raised_by_person_id ? await firstManagerOf(uow, row.raised_by_person_id) : null;
    const recipients = await this.people(uow, [
      stage.raiser_owner_person_id,
      stage.responder_owner_person_id,
      row.raised_by_person_id,
      raiserManager,
    ]);
    if (stage.number >= 3) recipients.push(...(await this.partnershipContacts(uow, stage.number >= 4)));
    await this.queue(
      uow,
      row,
      `stage-opened-${stage.id}`,
      'STAGE_OPENED',
      recipients,
      `stage ${stage.number} opened`,
      [`Case ${row.reference} is now at stage ${stage.number} (${stage.name}).`, this.dueLine(stage)],
    );
  }

  private webhookEvent(
    row: EscalationRow,
    event: { id: string; kind: string; at: Date },
    stage: StageRow | null,
  ): WebhookEvent {
    return {
      id: event.id,
      kind: event.kind,
      escalationId: row.id,
      reference: row.reference,
      stage: stage?.number ?? row.current_stage,
      at: event.at,
      // Deliveries go to the agencies whose systems may see the case: the one visibility rule decides.
      agencyIds: caseVisibility.agencySystemsSeeing(caseVisibility.partiesOfRow(row)),
    };
  }

  /**
   * The reminders and breaches of a batch of fired deadlines (the case and stage rows as they are now): webhook
   * deliveries, recipients and notifications each in one statement for the whole batch.
   */
  async deadlineEventsRecorded(uow: UnitOfWork, items: DeadlineEvent[]): Promise<void> {
    await enqueueWebhookDeliveriesMany(
      uow.em,
      this.config.publicUrl,
      uow.partnershipId,
      items.map(({ event, row, stage }) => this.webhookEvent(row, event, stage)),
    );
    await this.deadlineNotifications(uow, items);
  }

  /** A reminder goes to the stage's owners; a breach also to whoever would own the next stage (routed). */
  private async deadlineNotifications(uow: UnitOfWork, items: DeadlineEvent[]): Promise<void> {
    // The next owner depends on the agency, the role and the anchor person; a batch fires within moments, so one
    // routing per distinct question is enough.
    const routed = new Map<string, string | null>();
    const nextOwner = async ({ event, row, stage }: DeadlineEvent): Promise<string | null> => {
      const next = row.ladder.find((l) => l.number === stage.number + 1);
      if (!next) return null;
      const roleType = (
        next.roleType === 'PARTNERSHIP_MANAGER' ? 'SENIOR_MANAGER' : next.roleType
      ) as RoleType;
      const key = `${row.raising_agency_id}|${roleType}|${stage.raiser_owner_person_id ?? ''}`;
      if (!routed.has(key)) {
        routed.set(
          key,
          await this.router.resolve(uow, {
            agencyId: row.raising_agency_id,
            roleType,
            anchorPersonId: stage.raiser_owner_person_id,
            at: event.at,
          }),
        );
      }
      return routed.get(key) ?? null;
    };
    const wanted: (string | null)[][] = [];
    for (const item of items) {
      const owners = [item.stage.raiser_owner_person_id, item.stage.responder_owner_person_id];
      wanted.push(item.event.kind === 'STAGE_BREACHED' ? [...owners, await nextOwner(item)] : owners);
    }
    const people = new Map((await this.people(uow, wanted.flat())).map((p) => [p.personId, p]));
    const notifications = items.flatMap(({ event, row, stage }, i) => {
      const recipients = wanted[i].flatMap((id) => (id && people.get(id) ? [people.get(id)!] : []));
      return event.kind === 'REMINDER_SENT'
        ? this.compose(row, event.id, event.kind, recipients, `reminder for stage ${stage.number}`, [
            `A reminder: stage ${stage.number} (${stage.name}) of ${row.reference} is awaiting action.`,
            this.dueLine(stage),
          ])
        : this.compose(row, event.id, event.kind, recipients, `stage ${stage.number} is overdue`, [
            `Stage ${stage.number} (${stage.name}) of ${row.reference} passed its deadline and is marked breached.`,
            this.dueLine(stage),
          ]);
    });
    await queueNotifications(uow.em, uow.partnershipId, notifications);
  }

  /** Everything else worth telling, keyed by the event so that an effect run twice notifies once. */
  async eventRecorded(
    uow: UnitOfWork,
    escalationId: string,
    recorded: { id: string; kind: string; at: Date; stage: number | null },
  ): Promise<void> {
    const row = await this.cases.find(uow, escalationId);
    const stageRow =
      recorded.stage === null ? null : await this.stages.latestByNumber(uow, escalationId, recorded.stage);
    const event = { ...recorded, stage: stageRow };
    await enqueueWebhookDeliveries(
      uow.em,
      this.config.publicUrl,
      uow.partnershipId,
      this.webhookEvent(row, event, event.stage),
    );
    const stage = event.stage;
    const allParties = async () =>
      this.people(uow, [row.raised_by_person_id, ...(await this.stages.ownerIds(uow, row.id))]);
    switch (event.kind) {
      case 'REMINDER_SENT':
      case 'STAGE_BREACHED':
        if (!stage) return;
        return this.deadlineNotifications(uow, [
          { event: { id: event.id, kind: event.kind, at: event.at }, row, stage },
        ]);
      case 'RESOLVED': {
        const recipients = await allParties();
        await this.queue(uow, row, event.id, event.kind, recipients, 'resolved', [
          `${row.reference} was resolved (${row.outcome_code ?? 'outcome recorded'}).`,
          `Outcome statement, shared with both agencies:`,
          row.outcome_statement ?? '',
        ]);
        if (row.systemic_issue) {
          await this.queue(
            uow,
            row,
            `${event.id}-systemic`,
            'SYSTEMIC_ISSUE',
            await this.partnershipContacts(uow, false),
            'systemic issue flagged',
            [`${row.reference} was resolved with a systemic issue flagged for the partnership's attention.`],
          );
        }
        return;
      }
      case 'PARTNERSHIP_DECISION':
        return this.queue(
          uow,
          row,
          event.id,
          event.kind,
          [...(await allParties()), ...(await this.partnershipContacts(uow, true))],
          'partnership decision recorded',
          [`The partnership recorded its decision on ${row.reference}; the case is closed.`],
        );
      case 'WITHDRAWN':
      case 'REOPENED':
      case 'RESPONDED':
      case 'EXTENDED':
        return this.queue(
          uow,
          row,
          event.id,
          event.kind,
          await allParties(),
          event.kind.toLowerCase().replace('_', ' '),
          [
            `${row.reference}: ${event.kind.toLowerCase().replace('_', ' ')}${stage ? ` at stage ${stage.number}` : ''}.`,
            ...(stage && event.kind === 'EXTENDED' ? [this.dueLine(stage)] : []),
          ],
        );
      default:
        return;
    }
  }

  /**
   * Tells named people about a case (an extension proposal to the owner who decides it, its outcome to the
   * proposer): the reference, the stage and a link, never free text; `key` makes a repeat notify once.
   */
  async tellPeople(
    uow: UnitOfWork,
    escalationId: string,
    message: { key: string; kind: string; personIds: (string | null)[]; subject: string; lines: string[] },
  ): Promise<void> {
    const row = await this.cases.find(uow, escalationId);
    const recipients = await this.people(uow, message.personIds);
    await this.queue(uow, row, message.key, message.kind, recipients, message.subject, message.lines);
  }
}
