import type { UnitOfWork } from '@hips/database';
import type { PolicyRow } from '../policies.service';

/** Agencies of the unit's partnership with their own published policy of the type in force now. */
export async function agenciesWithOwnPolicyInForce(uow: UnitOfWork, type: string): Promise<string[]> {
  const rows: { agency_id: string }[] = await uow.query(
    `select distinct agency_id from escalation_policies
      where partnership_id = $1 and agency_id is not null and type = $2
        and published_at is not null and effective_from <= now()`,
    [uow.partnershipId, type],
  );
  return rows.map((r) => r.agency_id);
}

/** A policy version of the unit's partnership by id, published or draft. */
export async function policyById(uow: UnitOfWork, id: string): Promise<PolicyRow | undefined> {
  const [policy]: PolicyRow[] = await uow.query(
    'select * from escalation_policies where id = $1 and partnership_id = $2',
    [id, uow.partnershipId],
  );
  return policy;
}
