import { Module, OnModuleInit } from '@nestjs/common';
import { DirectoryModule, DirectoryService } from '@hips/directory';
import { WebhookEndpointFieldsResolver, WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';
import { WebhooksRepository } from './persistence/webhooks.repository';

@Module({
  imports: [DirectoryModule],
  providers: [WebhooksRepository, WebhooksService, WebhooksResolver, WebhookEndpointFieldsResolver],
  exports: [WebhooksService],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly webhooks: WebhooksService,
  ) {}

  onModuleInit(): void {
    this.directory.registerNodeType('WebhookEndpoint', (ctx, id) =>
      this.webhooks.endpointByGlobalId(ctx, id),
    );
    this.directory.registerNodeType('WebhookDelivery', (ctx, id) =>
      this.webhooks.deliveryByGlobalId(ctx, id),
    );
  }
}
