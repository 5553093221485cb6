import type { UnitOfWork } from '@hips/database';
import type { PolicyRow } from './persistence/policies.repository';

/**
 * Re-timing the open cases a newly published version governs, in the publishing transaction. The escalation
 * case implements it (cases depend on policies, not the other way round); see
 * docs/decisions/0002-dependency-direction.md.
 */
export abstract class OpenCaseRetiming {
  /** Re-times the open cases under `policy`; answers how many cases moved. */
  abstract retime(uow: UnitOfWork, policy: PolicyRow): Promise<number>;
}
