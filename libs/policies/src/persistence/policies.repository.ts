import { Injectable } from '@nestjs/common';
import type { EscalationType, INTERNAL_LADDER_TYPE, StagePolicy } from '@hips/core';
import type { UnitOfWork } from '@hips/database';

/** The stored policy types: the escalation types and an agency's internal ladder (INTERNAL_LADDER_TYPE). */
export type PolicyType = EscalationType | typeof INTERNAL_LADDER_TYPE;

export interface PolicyRow {
  id: string;
  partnership_id: string;
  agency_id: string | null;
  type: PolicyType;
  version: number;
  stages: StagePolicy[];
  published_at: Date | null;
  effective_from: Date | null;
  apply_to_open_cases: boolean;
}

/** Policy versions (escalation_policies) of the unit's partnership: the default (no agency) and agencies' own. */
@Injectable()
export class PoliciesRepository {
  /**
   * The published version in force at `at` (the database clock when null) for an agency — its latest published
   * version with effectiveFrom <= at — or else the partnership default.
   */
  async inForce(
    uow: Pick<UnitOfWork, 'query' | 'partnershipId'>,
    agencyId: string | null,
    type: PolicyType,
    at: Date | null = null,
  ): Promise<PolicyRow | null> {
    const [row]: PolicyRow[] = await uow.query(
      `select * from escalation_policies
       where partnership_id = $1 and type = $2 and published_at is not null
         and effective_from <= coalesce($4::timestamptz, now())
         and (agency_id = $3 or agency_id is null)
       order by (agency_id is null), version desc limit 1`,
      [uow.partnershipId, type, agencyId, at],
    );
    return row ?? null;
  }

  /** Every version of one policy, newest first; the open draft only `withDraft`. */
  versions(
    uow: UnitOfWork,
    type: PolicyType,
    agencyId: string | null,
    withDraft: boolean,
  ): Promise<PolicyRow[]> {
    return uow.query(
      `select * from escalation_policies
       where partnership_id = $1 and type = $2 and agency_id is not distinct from $3
         and (published_at is not null or $4)
       order by version desc`,
      [uow.partnershipId, type, agencyId, withDraft],
    );
  }

  /** Agencies of the unit's partnership with their own published policy of the type in force now. */
  async agenciesWithOwnInForce(uow: UnitOfWork, type: string): Promise<string[]> {
    const rows: { agency_id: string }[] = await uow.query(
      `select distinct agency_id from escalation_policies
        where partnership_id = $1 and agency_id is not null and type = $2
          and published_at is not null and effective_from <= now()`,
      [uow.partnershipId, type],
    );
    return rows.map((r) => r.agency_id);
  }

  /** A policy version of the unit's partnership by id, published or draft. */
  async byId(uow: UnitOfWork, id: string): Promise<PolicyRow | undefined> {
    const [row]: PolicyRow[] = await uow.query(
      'select * from escalation_policies where id = $1 and partnership_id = $2',
      [id, uow.partnershipId],
    );
    return row;
  }

  /** The one open draft of a policy, if any. */
  async openDraft(
    uow: UnitOfWork,
    type: PolicyType,
    agencyId: string | null,
  ): Promise<PolicyRow | undefined> {
    const [row]: PolicyRow[] = await uow.query(
      `select * from escalation_policies
       where partnership_id = $1 and type = $2 and agency_id is not distinct from $3 and published_at is null`,
      [uow.partnershipId, type, agencyId],
    );
    return row;
  }

  async updateDraft(uow: UnitOfWork, id: string, stages: StagePolicy[]): Promise<PolicyRow> {
    const [[row]] = await uow.query<[PolicyRow[], number]>(
      `update escalation_policies set stages = $2, updated_at = now(), created_by_person_id = $3
       where id = $1 and published_at is null returning *`,
      [id, JSON.stringify(stages), uow.ctx.personId],
    );
    return row;
  }

  /** Publishes a draft (still a draft: a version once published never changes); the published version. */
  async publish(
    uow: UnitOfWork,
    id: string,
    effectiveFrom: Date,
    applyToOpenCases: boolean,
  ): Promise<PolicyRow> {
    const [[row]] = await uow.query<[PolicyRow[], number]>(
      `update escalation_policies
       set published_at = now(), published_by_person_id = $2, effective_from = $3, apply_to_open_cases = $4,
           updated_at = now()
       where id = $1 and published_at is null returning *`,
      [id, uow.ctx.personId, effectiveFrom, applyToOpenCases],
    );
    return row;
  }

  /** A new draft, the policy's next version. */
  async insertDraft(
    uow: UnitOfWork,
    type: PolicyType,
    agencyId: string | null,
    stages: StagePolicy[],
  ): Promise<PolicyRow> {
    const [row] = await uow.query<PolicyRow[]>(
      `insert into escalation_policies (partnership_id, agency_id, type, version, stages, created_by_person_id)
       select $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5 from escalation_policies
       where partnership_id = $1 and type = $3 and agency_id is not distinct from $2
       returning *`,
      [uow.partnershipId, agencyId, type, JSON.stringify(stages), uow.ctx.personId],
    );
    return row;
  }

  /** Serialises draft saves and publications of one policy, so versions and the one-draft rule hold. */
  async lockScope(uow: UnitOfWork, agencyId: string | null, type: string): Promise<void> {
    await uow.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `policy:${uow.partnershipId}:${agencyId ?? 'default'}:${type}`,
    ]);
  }
}
