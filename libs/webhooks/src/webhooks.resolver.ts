import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiError, Ctx, RequestContext, Roles, UserErrorsException, withUserErrors } from '@hips/common';
import { Agency, DirectoryLoaders, DirectoryService } from '@hips/directory';
import {
  CreateWebhookEndpointPayload,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookEndpoint,
  WebhookEndpointPayload,
} from './dto/webhooks.model';
import {
  CreateWebhookEndpointInput,
  DisableWebhookEndpointInput,
  ReplayWebhookDeliveryInput,
} from './dto/webhooks.input';
import { WebhooksService } from './webhooks.service';

/** Queries answer expected failures as GraphQL errors: FORBIDDEN, or BAD_USER_INPUT for unknown ids. */
async function asQuery<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UserErrorsException)) throw error;
    const first = error.errors[0];
    throw new ApiError(first.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'BAD_USER_INPUT', first.message);
  }
}

@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: "Registers an agency system's receiver of signed case events; the secret is shown once.",
  })
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('input') input: CreateWebhookEndpointInput) {
    return withUserErrors(() => this.webhooks.create(ctx, input));
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: 'Stops deliveries to the endpoint; what was waiting becomes DEAD.',
  })
  disableWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('input') input: DisableWebhookEndpointInput) {
    return withUserErrors(() => this.webhooks.disable(ctx, input.endpointId));
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Sends a delivery again, as a new attempt.' })
  replayWebhookDelivery(@Ctx() ctx: RequestContext, @Args('input') input: ReplayWebhookDeliveryInput) {
    return withUserErrors(() => this.webhooks.replay(ctx, input.deliveryId));
  }

  @Roles('PARTNERSHIP_ADMIN', 'AGENCY_ADMIN')
  @Query(() => [WebhookEndpoint], {
    description:
      "Webhook endpoints of one agency; without agencyId, the partnership's (PARTNERSHIP_ADMIN) or the caller's agency's.",
  })
  webhookEndpoints(
    @Ctx() ctx: RequestContext,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string | null,
  ): Promise<WebhookEndpoint[]> {
    return asQuery(() => this.webhooks.list(ctx, agencyId));
  }

  @Roles('PARTNERSHIP_ADMIN', 'AGENCY_ADMIN')
  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of one endpoint, newest first.' })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    return asQuery(() => this.webhooks.deliveries(ctx, endpointId, first, after));
  }
}

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Agency, { nullable: true })
  agency(@Ctx() ctx: RequestContext, @Parent() endpoint: WebhookEndpoint): Promise<Agency | null> {
    return DirectoryLoaders.agency(this.directory, ctx).load(endpoint.agencyUuid);
  }
}
