import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => String, {
    description:
      'https:// (http:// outside production), at most 2000 characters, to a public address: loopback, private, ' +
      'link-local, metadata and other internal hosts are refused with WEBHOOK_URL_FORBIDDEN.',
  })
  url!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Event kinds to receive; omitted or empty means all.',
  })
  events?: string[] | null;
}

@InputType()
export class DisableWebhookEndpointInput {
  @Field(() => ID) endpointId!: string;
}

@InputType()
export class ReplayWebhookDeliveryInput {
  @Field(() => ID) deliveryId!: string;
}
