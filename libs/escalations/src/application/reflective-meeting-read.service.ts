import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@hips/common';
import { TenantDb } from '@hips/database';
import { ReflectiveMeeting, ReflectiveMeetingOutcome } from '../dto/reflective-meeting.model';
import {
  ReflectiveMeetingRepository,
  type ReflectiveMeetingRow,
  type StoredParticipant,
} from '../persistence/reflective-meeting.repository';

const participant = (p: StoredParticipant) =>
  'personId' in p ? { personUuid: p.personId, role: null } : { personUuid: null, role: p.role };

const toMeeting = (r: ReflectiveMeetingRow): ReflectiveMeeting => ({
  recordedByUuid: r.recorded_by_person_id,
  heldAt: r.held_at,
  facilitator: r.facilitator_person_id
    ? { personUuid: r.facilitator_person_id, role: null }
    : { personUuid: null, role: r.facilitator_role },
  attendees: r.attendees.map(participant),
  outcome: r.outcome as ReflectiveMeetingOutcome,
  recordedAt: r.recorded_at,
});

/** The reflective step's records of cases the caller already reads (batched by case, for the field loader). */
@Injectable()
export class ReflectiveMeetingReadService {
  constructor(
    private readonly db: TenantDb,
    private readonly meetings: ReflectiveMeetingRepository,
  ) {}

  async latestByCases(
    ctx: RequestContext,
    caseIds: readonly string[],
  ): Promise<Map<string, ReflectiveMeeting>> {
    const rows = await this.db.transaction(ctx, (uow) => this.meetings.latestByCases(uow, caseIds));
    return new Map(rows.map((r) => [r.escalation_id, toMeeting(r)]));
  }
}
