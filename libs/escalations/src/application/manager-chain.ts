import type { UnitOfWork } from '@hips/database';
import { managersAbove } from '@hips/directory';

/**
 * Everyone above a person in their managers' chain (in the unit's partnership); nobody above nobody. The
 * case action policy decides what a place in that chain allows.
 */
export function managerChain(uow: UnitOfWork, personId: string | null): Promise<Set<string>> {
  return personId ? managersAbove(uow.em, uow.partnershipId, personId) : Promise.resolve(new Set<string>());
}
