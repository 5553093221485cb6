import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

export type ExtensionSide = 'RAISING' | 'RESPONDING';
export type ExtensionProposalState = 'PROPOSED' | 'ACCEPTED' | 'DECLINED' | 'LAPSED';

/** A row of `stage_extension_proposals`. */
export interface ExtensionProposalRow {
  id: string;
  escalation_id: string;
  stage_id: string;
  proposed_by_person_id: string;
  proposed_by_side: ExtensionSide;
  working_days: number;
  reason: string;
  status: ExtensionProposalState;
  proposed_at: Date;
  decided_by_person_id: string | null;
  decided_at: Date | null;
}

/** Every statement on `stage_extension_proposals`. */
@Injectable()
export class StageExtensionProposalRepository {
  async insert(
    uow: UnitOfWork,
    p: {
      escalationId: string;
      stageId: string;
      personId: string;
      side: ExtensionSide;
      workingDays: number;
      reason: string;
      at: Date;
    },
  ): Promise<ExtensionProposalRow> {
    const [row]: ExtensionProposalRow[] = await uow.query(
      `insert into stage_extension_proposals (partnership_id, escalation_id, stage_id, proposed_by_person_id,
         proposed_by_side, working_days, reason, status, proposed_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'PROPOSED', $8) returning *`,
      [uow.partnershipId, p.escalationId, p.stageId, p.personId, p.side, p.workingDays, p.reason, p.at],
    );
    return row;
  }

  /** The stage's proposal still awaiting a decision (at most one: proposing takes the case's row lock). */
  async findOpen(uow: UnitOfWork, stageId: string): Promise<ExtensionProposalRow | null> {
    const [row]: ExtensionProposalRow[] = await uow.query(
      `select * from stage_extension_proposals where stage_id = $1 and status = 'PROPOSED'`,
      [stageId],
    );
    return row ?? null;
  }

  /** The open proposals of several stages (one statement for a page of cases). */
  findOpenMany(uow: UnitOfWork, stageIds: string[]): Promise<ExtensionProposalRow[]> {
    return uow.query(
      `select * from stage_extension_proposals where stage_id = any($1) and status = 'PROPOSED'`,
      [stageIds],
    );
  }

  /** Records the decision on an open proposal; null when it was no longer open. */
  async decide(
    uow: UnitOfWork,
    id: string,
    d: { status: 'ACCEPTED' | 'DECLINED'; personId: string; at: Date },
  ): Promise<ExtensionProposalRow | null> {
    const [row] = await uow.changed<ExtensionProposalRow>(
      `update stage_extension_proposals set status = $2, decided_by_person_id = $3, decided_at = $4
        where id = $1 and status = 'PROPOSED' returning *`,
      [id, d.status, d.personId, d.at],
    );
    return row ?? null;
  }

  /** Lapses the open proposals of these stages; answers those it lapsed. */
  async lapseOpen(uow: UnitOfWork, stageIds: string[], at: Date): Promise<ExtensionProposalRow[]> {
    if (stageIds.length === 0) return [];
    return uow.changed<ExtensionProposalRow>(
      `update stage_extension_proposals set status = 'LAPSED', decided_at = $2
        where stage_id = any($1) and status = 'PROPOSED' returning *`,
      [stageIds, at],
    );
  }
}
