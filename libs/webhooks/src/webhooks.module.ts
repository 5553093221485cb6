import { Module } from '@nestjs/common';
import { DirectoryModule } from '@hips/directory';
import { WebhookEndpointFieldsResolver, WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [DirectoryModule],
  providers: [WebhooksService, WebhooksResolver, WebhookEndpointFieldsResolver],
  exports: [WebhooksService],
})
export class WebhooksModule {}
