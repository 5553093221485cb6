import { Module } from '@nestjs/common';
import { DirectoryModule } from '@hips/directory';
import { WebhookEndpointFieldsResolver, WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';
import { WebhooksRepository } from './persistence/webhooks.repository';

@Module({
  imports: [DirectoryModule],
  providers: [WebhooksRepository, WebhooksService, WebhooksResolver, WebhookEndpointFieldsResolver],
  exports: [WebhooksService],
})
export class WebhooksModule {}
