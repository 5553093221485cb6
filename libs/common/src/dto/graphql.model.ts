import {
  Field,
  GraphQLISODateTime,
  ID,
  Int,
  InterfaceType,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { DateScalar } from '../scalars';

/** Relay Node; resolveType reads the __typename that every model sets. */
@InterfaceType('Node', { resolveType: (value: { __typename?: string }) => value.__typename })
export abstract class Node {
  @Field(() => ID) id!: string;
}

export enum PartnershipCode {
  HAMPSHIRE = 'HAMPSHIRE',
  ISLE_OF_WIGHT = 'ISLE_OF_WIGHT',
  PORTSMOUTH = 'PORTSMOUTH',
  SOUTHAMPTON = 'SOUTHAMPTON',
}
registerEnumType(PartnershipCode, { name: 'PartnershipCode' });

export enum RoleTypeEnum {
  PRACTITIONER = 'PRACTITIONER',
  LINE_MANAGER = 'LINE_MANAGER',
  SAFEGUARDING_LEAD = 'SAFEGUARDING_LEAD',
  SENIOR_MANAGER = 'SENIOR_MANAGER',
  PARTNERSHIP_MANAGER = 'PARTNERSHIP_MANAGER',
  AGENCY_ADMIN = 'AGENCY_ADMIN',
  PARTNERSHIP_ADMIN = 'PARTNERSHIP_ADMIN',
  ANALYST = 'ANALYST',
  HIPS_ANALYST = 'HIPS_ANALYST',
  SCRUTINEER = 'SCRUTINEER',
}
registerEnumType(RoleTypeEnum, { name: 'RoleType' });

export enum AgencyType {
  CHILDRENS_SOCIAL_CARE = 'CHILDRENS_SOCIAL_CARE',
  POLICE = 'POLICE',
  HEALTH_COMMISSIONER = 'HEALTH_COMMISSIONER',
  HEALTH_PROVIDER = 'HEALTH_PROVIDER',
  GENERAL_PRACTICE = 'GENERAL_PRACTICE',
  EDUCATION = 'EDUCATION',
  EARLY_YEARS = 'EARLY_YEARS',
  PROBATION = 'PROBATION',
  YOUTH_JUSTICE = 'YOUTH_JUSTICE',
  HOUSING = 'HOUSING',
  ADULT_SERVICES = 'ADULT_SERVICES',
  CAFCASS = 'CAFCASS',
  VOLUNTARY_SECTOR = 'VOLUNTARY_SECTOR',
  OTHER = 'OTHER',
}
registerEnumType(AgencyType, { name: 'AgencyType' });

/**
 * Shared by the escalation case (libs/escalations) and the policies/calendar work (libs/policies): registered
 * once here so that both libs can use them without a duplicate GraphQL type.
 */
export enum EscalationTypeEnum {
  GENERAL = 'GENERAL',
  CPC_DISSENT = 'CPC_DISSENT',
}
registerEnumType(EscalationTypeEnum, { name: 'EscalationType' });

export enum UrgencyEnum {
  STANDARD = 'STANDARD',
  URGENT = 'URGENT',
}
registerEnumType(UrgencyEnum, { name: 'Urgency' });

export enum BreachActionEnum {
  NOTIFY = 'NOTIFY',
  RECOMMEND_ESCALATION = 'RECOMMEND_ESCALATION',
  AUTO_ESCALATE = 'AUTO_ESCALATE',
}
registerEnumType(BreachActionEnum, { name: 'BreachAction' });
/**
 * How a due date was computed (docs/procedure.md §4). Shared by case stages (libs/escalations) and deadline previews
 * (libs/calendar), so it is defined once here.
 */
@ObjectType('DeadlineExplanation')
export class DeadlineExplanationType {
  @Field(() => GraphQLISODateTime) start!: Date;
  @Field(() => Int) workingDays!: number;
  @Field(() => GraphQLISODateTime) dueAt!: Date;
  @Field(() => String, {
    description:
      "Human account of the computation, e.g. 'opened Fri 16:40; day 0 Fri; skipped Mon 25 Aug (Summer bank holiday); due Thu 17:00'.",
  })
  explanation!: string;
  @Field(() => [DateScalar]) skippedDates!: string[];
}
