export * from './dto/webhooks.types';
export * from './enqueue';
export * from './jobs/deliver-webhooks';
export * from './signing';
export * from './webhook.entity';
export * from './webhooks.module';
export * from './webhooks.resolver';
export * from './webhooks.service';
