import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar, RoleTypeEnum, UserError } from '@hips/common';

/** A post: a person holding a role type in a unit (in the viewer's partnership), with its manager and deputies. */
@ObjectType({ description: 'A post: a person holding a role type in a unit, with its manager and deputies.' })
export class Post {
  holderUuid!: string;
  orgUnitUuid!: string;
  managerUuid!: string | null;
  deputyUuids!: string[];
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
}

@ObjectType({ description: 'A period when a person is away; both dates inclusive. Routing passes them by.' })
export class Absence {
  readonly __typename = 'Absence' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  personUuid!: string;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => String) reason!: string;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) cancelledAt!: Date | null;
}

export enum StageOwnerRouteStepKind {
  HOLDER = 'HOLDER',
  DEPUTY = 'DEPUTY',
  MANAGER = 'MANAGER',
}
registerEnumType(StageOwnerRouteStepKind, { name: 'StageOwnerRouteStepKind' });

export enum StageOwnerRouteStepOutcome {
  CHOSEN = 'CHOSEN',
  ABSENT = 'ABSENT',
  DISABLED = 'DISABLED',
  ALREADY_CONSIDERED = 'ALREADY_CONSIDERED',
}
registerEnumType(StageOwnerRouteStepOutcome, { name: 'StageOwnerRouteStepOutcome' });

export enum StageOwnerRouteFailure {
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  NO_HOLDER = 'NO_HOLDER',
  NOBODY_AVAILABLE = 'NOBODY_AVAILABLE',
  MANAGER_CYCLE = 'MANAGER_CYCLE',
}
registerEnumType(StageOwnerRouteFailure, { name: 'StageOwnerRouteFailure' });

@ObjectType({ description: 'One person considered on the way to a stage owner, in order.' })
export class StageOwnerRouteStep {
  personUuid!: string;
  @Field(() => StageOwnerRouteStepKind) kind!: StageOwnerRouteStepKind;
  @Field(() => StageOwnerRouteStepOutcome) outcome!: StageOwnerRouteStepOutcome;
  @Field(() => DateScalar, { nullable: true, description: 'Last day of the absence, when ABSENT.' })
  absentUntil!: string | null;
  @Field(() => String, { nullable: true }) absenceReason!: string | null;
}

@ObjectType({ description: 'Who would own a stage on one side, and why.' })
export class StageOwnerRoute {
  ownerUuid!: string | null;
  holderUnitUuid!: string | null;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => DateScalar, { description: 'The London calendar date the route was worked out for.' })
  on!: string;
  @Field(() => StageOwnerRouteFailure, {
    nullable: true,
    description: 'Why nobody was found (owner is null).',
  })
  failure!: StageOwnerRouteFailure | null;
  @Field(() => String, {
    description:
      "Human account of the route, e.g. 'LINE_MANAGER of Portsmouth safeguarding team: Jo Bloggs is absent (annual leave) until 2026-12-01; deputy Sam Smith'.",
  })
  explanation!: string;
  @Field(() => [StageOwnerRouteStep]) steps!: StageOwnerRouteStep[];
}

export enum StructuralProblemCode {
  MISSING_STAGE_ROLE = 'MISSING_STAGE_ROLE',
  MANAGER_CYCLE = 'MANAGER_CYCLE',
  UNIT_WITHOUT_MANAGER = 'UNIT_WITHOUT_MANAGER',
}
registerEnumType(StructuralProblemCode, { name: 'StructuralProblemCode' });

@ObjectType({ description: 'Something in the structure that stops escalations from routing.' })
export class StructuralProblem {
  agencyUuid!: string | null;
  orgUnitUuid!: string | null;
  personUuid!: string | null;
  @Field(() => StructuralProblemCode) code!: StructuralProblemCode;
  @Field(() => String) message!: string;
  @Field(() => RoleTypeEnum, {
    nullable: true,
    description: 'For MISSING_STAGE_ROLE: the role nobody holds.',
  })
  roleType!: RoleTypeEnum | null;
}

@ObjectType()
export class PostPayload {
  @Field(() => Post, { nullable: true }) post?: Post | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class AbsencePayload {
  @Field(() => Absence, { nullable: true }) absence?: Absence | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class StageOwnerRoutePayload {
  @Field(() => StageOwnerRoute, { nullable: true }) route?: StageOwnerRoute | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
