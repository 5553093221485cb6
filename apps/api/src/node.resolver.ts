import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ApiKeysService } from '@hips/auth';
import { Ctx, fromGlobalId, Node, RequestContext } from '@hips/common';
import { DirectoryService } from '@hips/directory';
import { EscalationReadService } from '@hips/escalations';
import { PoliciesService } from '@hips/policies';
import { WebhooksService } from '@hips/webhooks';

type Find = (ctx: RequestContext, globalId: string, id: string) => Promise<unknown>;

async function firstOf<T>(rows: Promise<T[]>): Promise<T | null> {
  return (await rows)[0] ?? null;
}

/**
 * `node(id)` for every type with a global id. It lives in the API's composition root because it is the one place
 * that depends on every library; the libraries themselves know nothing of each other's node types
 * (docs/decisions/0002-dependency-direction.md). Each finder answers only what the viewer may see.
 */
@Resolver()
export class NodeResolver {
  private readonly finders: Record<string, Find>;

  constructor(
    directory: DirectoryService,
    keys: ApiKeysService,
    policies: PoliciesService,
    webhooks: WebhooksService,
    escalations: EscalationReadService,
  ) {
    this.finders = {
      Partnership: (ctx, _, id) => firstOf(directory.partnershipsByIds(ctx, [id])),
      Agency: (ctx, _, id) => firstOf(directory.agenciesByIds(ctx, [id])),
      OrgUnit: (ctx, _, id) => firstOf(directory.orgUnitsByIds(ctx, [id])),
      Person: (ctx, _, id) => firstOf(directory.peopleByIds(ctx, [id])),
      ApiKey: (ctx, globalId) => keys.byGlobalId(ctx, globalId),
      EscalationPolicy: (ctx, globalId) => policies.byGlobalId(ctx, globalId),
      WebhookEndpoint: (ctx, globalId) => webhooks.endpointByGlobalId(ctx, globalId),
      WebhookDelivery: (ctx, globalId) => webhooks.deliveryByGlobalId(ctx, globalId),
      Escalation: (ctx, globalId) => escalations.byGlobalId(ctx, globalId),
      EscalationEvent: (ctx, globalId) => escalations.eventByGlobalId(ctx, globalId),
    };
  }

  /** Resolves a global id to a node the viewer may see; anything else (other tenant, malformed) is null. */
  @Query(() => Node, { nullable: true })
  async node(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<Node | null> {
    const decoded = fromGlobalId(id);
    const find = decoded ? this.finders[decoded.type] : undefined;
    if (!decoded || !find) return null;
    return ((await find(ctx, id, decoded.id)) ?? null) as Node | null;
  }
}
