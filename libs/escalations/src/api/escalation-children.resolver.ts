import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@hips/common';
import { EscalationReadService } from '../application/escalation-read.service';
import { ChildRecord } from '../dto/child-record.model';
import { Escalation } from '../dto/escalation.model';
import { visibleChildren } from './visible-children';

/** The children a case concerns (a sibling group, docs/procedure.md §7). */
@Resolver(() => Escalation)
export class EscalationChildrenResolver {
  constructor(private readonly read: EscalationReadService) {}

  @ResolveField(() => [ChildRecord], {
    nullable: true,
    description:
      'Every child the case concerns, in order (the first is `child`). Null unless the viewer may see child identifiers; every non-null read is audited. Null for everyone once the identifiers were purged at the end of retention (see childPurgedAt).',
  })
  children(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<ChildRecord[] | null> {
    return visibleChildren(this.read, ctx, e);
  }
}
