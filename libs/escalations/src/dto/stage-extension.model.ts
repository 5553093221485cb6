import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserError } from '@hips/common';
import { Escalation } from './escalation.model';

/* An extension of the current stage by both owners agreeing (docs/api/escalations.md). */

export enum ExtensionProposalStatus {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  LAPSED = 'LAPSED',
}
registerEnumType(ExtensionProposalStatus, { name: 'ExtensionProposalStatus' });

export enum CaseSide {
  RAISING = 'RAISING',
  RESPONDING = 'RESPONDING',
}
registerEnumType(CaseSide, { name: 'CaseSide' });

@ObjectType({
  description:
    'One owner’s proposal to extend the current stage; the other side’s owner accepts or declines it.',
})
export class StageExtensionProposal {
  @Field(() => ID) id!: string;
  proposedByUuid!: string;
  decidedByUuid!: string | null;
  @Field(() => CaseSide, { description: 'The side whose owner proposed; the other side decides.' })
  proposedBySide!: CaseSide;
  @Field(() => Int) workingDays!: number;
  @Field(() => String) reason!: string;
  @Field(() => ExtensionProposalStatus) status!: ExtensionProposalStatus;
  @Field(() => GraphQLISODateTime) proposedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt!: Date | null;
}

@InputType()
export class ProposeStageExtensionInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => Int, { description: '1 to 5 working days.' }) workingDays!: number;
  @Field(() => String, { description: 'Shared with both owners; no child identifiers.' }) reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class DecideStageExtensionInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@ObjectType()
export class StageExtensionPayload {
  @Field(() => StageExtensionProposal, { nullable: true }) proposal?: StageExtensionProposal | null;
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
