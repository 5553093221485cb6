import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestContext, toGlobalId } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { formatLondonInstant } from '@hips/core';
import { NotificationToQueue, queueNotifications } from '@hips/notifications';
import { enqueueWebhookDeliveries } from '@hips/webhooks';
import type { RoleType } from '@hips/core';
import type { EscalationRow, StageRow } from './mappers';
import { OwnerRouter } from './seams';

interface Recipient {
  personId: string | null;
  email: string;
}

/**
 * Who is told what (procedure.md §8), written to the notification and webhook outboxes in the transaction of the
 * change. Messages carry the case reference, the stage, the due time and a link: never child identifiers, and no
 * free text other than an outcome statement shared with both agencies.
 */
@Injectable()
export class CaseNotifier {
  constructor(
    private readonly router: OwnerRouter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private link(row: EscalationRow): string {
    return `${this.config.publicUrl}/escalations/${toGlobalId('Escalation', row.id)}`;
  }

  private async people(em: EntityManager, ids: (string | null | undefined)[]): Promise<Recipient[]> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) return [];
    const rows: { id: string; email: string }[] = await em.query(
      'select id, email from people where id = any($1) and disabled_at is null',
      [wanted],
    );
    return rows.map((r) => ({ personId: r.id, email: r.email }));
  }

  private async managerOf(
    em: EntityManager,
    ctx: RequestContext,
    personId: string | null,
  ): Promise<string | null> {
    if (!personId) return null;
    const [row]: { manager_person_id: string }[] = await em.query(
      `select manager_person_id from role_assignments
       where partnership_id = $1 and person_id = $2 and manager_person_id is not null order by created_at limit 1`,
      [ctx.partnershipId, personId],
    );
    return row?.manager_person_id ?? null;
  }

  private async partnershipContacts(em: EntityManager, ctx: RequestContext, withManagers: boolean) {
    const [p]: { contact_email: string }[] = await em.query(
      'select contact_email from partnerships where id = $1',
      [ctx.partnershipId],
    );
    const lscp: Recipient[] = p ? [{ personId: null, email: p.contact_email }] : [];
    if (!withManagers) return lscp;
    const managers: { person_id: string }[] = await em.query(
      `select distinct person_id from role_assignments where partnership_id = $1 and role_type = 'PARTNERSHIP_MANAGER'`,
      [ctx.partnershipId],
    );
    return [
      ...lscp,
      ...(await this.people(
        em,
        managers.map((m) => m.person_id),
      )),
    ];
  }

  private async queue(
    em: EntityManager,
    ctx: RequestContext,
    row: EscalationRow,
    key: string,
    kind: string,
    recipients: Recipient[],
    subject: string,
    lines: string[],
  ): Promise<void> {
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
    await queueNotifications(em, ctx.partnershipId, notifications);
  }

  private dueLine(stage: Pick<StageRow, 'number' | 'name' | 'due_at'>): string {
    return stage.due_at
      ? `Stage ${stage.number} (${stage.name}) is due ${formatLondonInstant(stage.due_at)} (Europe/London).`
      : `Stage ${stage.number} (${stage.name}) has no deadline.`;
  }

  /** The case as it is now in this transaction (callers may hold a row from before their own update). */
  private async current(em: EntityManager, escalationId: string): Promise<EscalationRow> {
    const [row]: EscalationRow[] = await em.query('select * from escalations where id = $1', [escalationId]);
    return row;
  }

  /** A stage opened (raised or escalated): its owners, the raiser and the raiser's manager; the LSCP from stage 3. */
  async stageOpened(
    em: EntityManager,
    ctx: RequestContext,
    escalationId: string,
    stage: StageRow,
  ): Promise<void> {
    const row = await this.current(em, escalationId);
    const raiserManager = await this.managerOf(em, ctx, row.raised_by_person_id);
    const recipients = await this.people(em, [
      stage.raiser_owner_person_id,
      stage.responder_owner_person_id,
      row.raised_by_person_id,
      raiserManager,
    ]);
    if (stage.number >= 3) recipients.push(...(await this.partnershipContacts(em, ctx, stage.number >= 4)));
    await this.queue(
      em,
      ctx,
      row,
      `stage-opened-${stage.id}`,
      'STAGE_OPENED',
      recipients,
      `stage ${stage.number} opened`,
      [`Case ${row.reference} is now at stage ${stage.number} (${stage.name}).`, this.dueLine(stage)],
    );
  }

  /** Everything else worth telling, keyed by the event so that an effect run twice notifies once. */
  async eventRecorded(
    em: EntityManager,
    ctx: RequestContext,
    escalationId: string,
    recorded: { id: string; kind: string; at: Date; stage: number | null },
    /** The case and the event's stage as they are now, when the caller holds them (saves two reads). */
    current?: { row: EscalationRow; stage: StageRow },
  ): Promise<void> {
    const row = current?.row ?? (await this.current(em, escalationId));
    const [stageRow]: StageRow[] = current
      ? [current.stage]
      : recorded.stage === null
        ? []
        : await em.query(
            'select * from escalation_stages where escalation_id = $1 and number = $2 order by opened_at desc limit 1',
            [escalationId, recorded.stage],
          );
    const event = { ...recorded, stage: stageRow ?? null };
    await enqueueWebhookDeliveries(em, this.config.publicUrl, ctx.partnershipId, {
      id: event.id,
      kind: event.kind,
      escalationId: row.id,
      reference: row.reference,
      stage: event.stage?.number ?? row.current_stage,
      at: event.at,
      agencyIds: [row.raising_agency_id, row.responding_agency_id],
    });
    const stage = event.stage;
    const owners = stage ? [stage.raiser_owner_person_id, stage.responder_owner_person_id] : [];
    const allParties = async () => {
      const ids: { id: string }[] = await em.query(
        `select raiser_owner_person_id as id from escalation_stages where escalation_id = $1
         union select responder_owner_person_id from escalation_stages where escalation_id = $1`,
        [row.id],
      );
      return this.people(em, [row.raised_by_person_id, ...ids.map((i) => i.id)]);
    };
    switch (event.kind) {
      case 'REMINDER_SENT':
        if (!stage) return;
        return this.queue(
          em,
          ctx,
          row,
          event.id,
          event.kind,
          await this.people(em, owners),
          `reminder for stage ${stage.number}`,
          [
            `A reminder: stage ${stage.number} (${stage.name}) of ${row.reference} is awaiting action.`,
            this.dueLine(stage),
          ],
        );
      case 'STAGE_BREACHED': {
        if (!stage) return;
        const next = row.ladder.find((l) => l.number === stage.number + 1);
        const nextOwner = next
          ? await this.router.resolve(em, ctx, {
              agencyId: row.raising_agency_id,
              roleType: (next.roleType === 'PARTNERSHIP_MANAGER'
                ? 'SENIOR_MANAGER'
                : next.roleType) as RoleType,
              anchorPersonId: stage.raiser_owner_person_id,
              at: event.at,
            })
          : null;
        return this.queue(
          em,
          ctx,
          row,
          event.id,
          event.kind,
          await this.people(em, [...owners, nextOwner]),
          `stage ${stage.number} is overdue`,
          [
            `Stage ${stage.number} (${stage.name}) of ${row.reference} passed its deadline and is marked breached.`,
            this.dueLine(stage),
          ],
        );
      }
      case 'RESOLVED': {
        const recipients = await allParties();
        await this.queue(em, ctx, row, event.id, event.kind, recipients, 'resolved', [
          `${row.reference} was resolved (${row.outcome_code ?? 'outcome recorded'}).`,
          `Outcome statement, shared with both agencies:`,
          row.outcome_statement ?? '',
        ]);
        if (row.systemic_issue) {
          await this.queue(
            em,
            ctx,
            row,
            `${event.id}-systemic`,
            'SYSTEMIC_ISSUE',
            await this.partnershipContacts(em, ctx, false),
            'systemic issue flagged',
            [`${row.reference} was resolved with a systemic issue flagged for the partnership's attention.`],
          );
        }
        return;
      }
      case 'PARTNERSHIP_DECISION':
        return this.queue(
          em,
          ctx,
          row,
          event.id,
          event.kind,
          [...(await allParties()), ...(await this.partnershipContacts(em, ctx, true))],
          'partnership decision recorded',
          [`The partnership recorded its decision on ${row.reference}; the case is closed.`],
        );
      case 'WITHDRAWN':
      case 'REOPENED':
      case 'RESPONDED':
      case 'EXTENDED':
        return this.queue(
          em,
          ctx,
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
}
