import { Field, InputType } from '@nestjs/graphql';
import { DateScalar, PartnershipCode } from '@hips/common';
import { TrendDimension, TrendInterval } from './trends.model';

@InputType()
export class EscalationTrendsInput {
  @Field(() => [PartnershipCode], {
    nullable: true,
    description: "Defaults to the viewer's partnership; more than one needs HIPS_ANALYST.",
  })
  partnerships?: PartnershipCode[] | null;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => TrendInterval) interval!: TrendInterval;
  @Field(() => [TrendDimension], { nullable: true }) groupBy?: TrendDimension[] | null;
}
