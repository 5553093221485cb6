import { RequestContext } from '@hips/common';
import { caseVisibility, ChildChain } from '../access/case-visibility.policy';
import { EscalationReadService } from '../application/escalation-read.service';
import { ChildRecord } from '../dto/child-record.model';
import { Escalation } from '../dto/escalation.model';
import { EscalationLoaders } from './escalation.loader';

/**
 * The case's children in order, or null when the viewer may not see child identifiers (the visibility policy's
 * maySeeChild) or they were purged at the end of retention. `child` and `children` share one loader, so a request
 * that reads both, or many cases, audits each case's read once (docs/permissions.md).
 */
export async function visibleChildren(
  read: EscalationReadService,
  ctx: RequestContext,
  e: Escalation,
): Promise<ChildRecord[] | null> {
  if (e.childPurgedAt) return null;
  const parties = {
    partnershipId: e.partnershipUuid,
    raisingAgencyId: e.raisingAgencyUuid,
    respondingAgencyId: e.respondingAgencyUuid,
  };
  const mayView = await caseVisibility.maySeeChild(ctx, parties, () => childChain(read, ctx, e));
  if (!mayView) return null;
  return (await EscalationLoaders.children(read, ctx).load(e.uuid)) ?? null;
}

/** The raiser and every stage's owners, and whom the viewer manages (from the request's loaders). */
async function childChain(
  read: EscalationReadService,
  ctx: RequestContext,
  e: Escalation,
): Promise<ChildChain> {
  const stages = (await EscalationLoaders.stages(read, ctx).load(e.uuid)) ?? [];
  const owners = stages.flatMap((s) => [s.raiserOwnerUuid, s.responderOwnerUuid]);
  const ownerPersonIds = [e.raisedByUuid, ...owners].filter((id): id is string => id !== null);
  const viewerReports = (await EscalationLoaders.reports(read, ctx).load('me')) ?? new Set<string>();
  return { ownerPersonIds, viewerReports };
}
