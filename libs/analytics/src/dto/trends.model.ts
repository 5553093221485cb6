import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar } from '@hips/common';

export enum TrendInterval {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}
registerEnumType(TrendInterval, { name: 'TrendInterval' });

export enum TrendDimension {
  PARTNERSHIP = 'PARTNERSHIP',
  RAISING_AGENCY_TYPE = 'RAISING_AGENCY_TYPE',
  RESPONDING_AGENCY_TYPE = 'RESPONDING_AGENCY_TYPE',
  RAISING_AGENCY = 'RAISING_AGENCY',
  RESPONDING_AGENCY = 'RESPONDING_AGENCY',
  CATEGORY = 'CATEGORY',
  URGENCY = 'URGENCY',
  LEVEL_OF_NEED = 'LEVEL_OF_NEED',
  HIGHEST_STAGE = 'HIGHEST_STAGE',
  OUTCOME = 'OUTCOME',
}
registerEnumType(TrendDimension, { name: 'TrendDimension' });

@ObjectType({ description: 'A disclosure-controlled count: value is null when suppressed.' })
export class TrendCount {
  @Field(() => Int, { nullable: true }) value!: number | null;
  @Field(() => Boolean) suppressed!: boolean;
  @Field(() => String, { description: "The number, or 'c' when suppressed." }) display!: string;
}

@ObjectType()
export class TrendDimensionValue {
  @Field(() => TrendDimension) dimension!: TrendDimension;
  @Field(() => String) value!: string;
}

@ObjectType({
  description: 'Cases of the bucket resolved at one stage (the stage open when it was resolved).',
})
export class TrendStageCount {
  @Field(() => Int) stage!: number;
  @Field(() => TrendCount) count!: TrendCount;
}

@ObjectType({
  description: 'Resolutions of the bucket recording one learning theme (a fixed vocabulary of codes).',
})
export class TrendThemeCount {
  @Field(() => String) theme!: string;
  @Field(() => TrendCount) count!: TrendCount;
}

/**
 * One period and combination of dimension values. Counts of the cases raised in the period: raised,
 * breachedStages, stagesOpened, extensions, stage0Used, reopened, children (and first-response times). Counts of the cases
 * resolved (RESOLVED or CLOSED_BY_PARTNERSHIP) in the period: resolved, resolvedAtStage, resolvedAtStage0,
 * systemicFlags, learningThemes (and resolution times). Each count is suppressed on its own table.
 */
@ObjectType()
export class TrendBucket {
  @Field(() => DateScalar) periodStart!: string;
  @Field(() => [TrendDimensionValue]) dimensions!: TrendDimensionValue[];
  @Field(() => TrendCount) raised!: TrendCount;
  @Field(() => TrendCount) resolved!: TrendCount;
  @Field(() => TrendCount) breachedStages!: TrendCount;
  @Field(() => Float, {
    nullable: true,
    description: 'Working days; null when the underlying count is suppressed or zero.',
  })
  medianWorkingDaysToResolution!: number | null;
  @Field(() => Float, { nullable: true }) p90WorkingDaysToResolution!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Working days from raising to the first response, of cases raised in the period that have one; null when fewer than 6 or raised is suppressed.',
  })
  medianWorkingDaysToFirstResponse!: number | null;
  @Field(() => Float, { nullable: true }) p90WorkingDaysToFirstResponse!: number | null;
  @Field(() => TrendCount, {
    description: 'Stages opened in the cases raised (the denominator of % breached).',
  })
  stagesOpened!: TrendCount;
  @Field(() => TrendCount, { description: 'Stage extensions used in the cases raised.' })
  extensions!: TrendCount;
  @Field(() => TrendCount, { description: 'Cases raised that used the reflective step (stage 0).' })
  stage0Used!: TrendCount;
  @Field(() => TrendCount, { description: 'Cases resolved at the reflective step (stage 0).' })
  resolvedAtStage0!: TrendCount;
  @Field(() => TrendCount, { description: 'Cases raised that were reopened.' })
  reopened!: TrendCount;
  @Field(() => TrendCount, { description: 'Resolutions flagged as a systemic issue.' })
  systemicFlags!: TrendCount;
  @Field(() => TrendCount, {
    description:
      'Children the cases raised concern (a case concerns one or more); suppressed on its own table, like every count.',
  })
  children!: TrendCount;
  @Field(() => [TrendStageCount], { description: 'Resolutions by the stage they were resolved at (0 to 4).' })
  resolvedAtStage!: TrendStageCount[];
  @Field(() => [TrendThemeCount], {
    description: 'Resolutions by learning theme (a case may record several).',
  })
  learningThemes!: TrendThemeCount[];
}

@ObjectType()
export class EscalationTrends {
  @Field(() => Int) suppressionThreshold!: number;
  @Field(() => [TrendBucket]) buckets!: TrendBucket[];
}
