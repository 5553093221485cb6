import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

/** A participant as stored: a person of the partnership or a free-text role. */
export type StoredParticipant = { personId: string } | { role: string };

/** `select * from reflective_meetings`. */
export interface ReflectiveMeetingRow {
  id: string;
  escalation_id: string;
  stage_id: string;
  held_at: Date;
  facilitator_person_id: string | null;
  facilitator_role: string | null;
  attendees: StoredParticipant[];
  outcome: string;
  recorded_by_person_id: string | null;
  recorded_by_api_key_id: string | null;
  recorded_at: Date;
}

/** The statements on `reflective_meetings` (append-only), recorded by the unit's caller. */
@Injectable()
export class ReflectiveMeetingRepository {
  async insert(
    uow: UnitOfWork,
    m: {
      escalationId: string;
      stageId: string;
      heldAt: Date;
      facilitator: StoredParticipant;
      attendees: StoredParticipant[];
      outcome: string;
    },
  ): Promise<void> {
    await uow.query(
      `insert into reflective_meetings (partnership_id, escalation_id, stage_id, held_at, facilitator_person_id,
         facilitator_role, attendees, outcome, recorded_by_person_id, recorded_by_api_key_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        uow.partnershipId,
        m.escalationId,
        m.stageId,
        m.heldAt,
        'personId' in m.facilitator ? m.facilitator.personId : null,
        'role' in m.facilitator ? m.facilitator.role : null,
        JSON.stringify(m.attendees),
        m.outcome,
        uow.ctx.personId,
        uow.ctx.apiKeyId,
      ],
    );
  }

  /** Each case's latest record (a reopened case may hold its reflective step again). */
  latestByCases(uow: UnitOfWork, escalationIds: readonly string[]): Promise<ReflectiveMeetingRow[]> {
    return uow.query(
      `select distinct on (escalation_id) * from reflective_meetings
        where escalation_id = any($1) order by escalation_id, recorded_at desc, id desc`,
      [escalationIds],
    );
  }
}
