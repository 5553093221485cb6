import { Injectable } from '@nestjs/common';
import { fail, idOf, notFound } from '@hips/common';
import { TenantDb, type UnitOfWork } from '@hips/database';
import type { Escalation } from '../dto/escalation.model';
import { EscalationRow, StageRow, toEscalation } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';

/** A case as an action finds it: the row, its current stage and the database clock. */
export interface LoadedCase {
  row: EscalationRow;
  stage: StageRow | null;
  now: Date;
}

/**
 * Runs a case action as one tenant transaction (docs/architecture.md "Unit of work"): loads the case the caller
 * may see, checks the version the caller read, and answers the case as the action left it. Expected failures
 * throw userErrors and roll everything back.
 */
@Injectable()
export class CaseActionRunner {
  constructor(
    private readonly db: TenantDb,
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
  ) {}

  async load(uow: UnitOfWork, globalId: string): Promise<LoadedCase> {
    const id = idOf(globalId, 'Escalation');
    const row = id ? await this.cases.findVisible(uow, id) : undefined;
    if (!row) notFound('Escalation', ['input', 'escalationId']);
    const stage = await this.stages.findByNumber(uow, row.id, row.current_stage);
    return { row, stage, now: row.now };
  }

  async run(
    uow: UnitOfWork,
    input: { escalationId: string; expectedVersion?: number | null },
    work: (loaded: LoadedCase) => Promise<EscalationRow>,
  ): Promise<{ escalation: Escalation }> {
    const loaded = await this.load(uow, input.escalationId);
    const expected = input.expectedVersion;
    if (expected !== null && expected !== undefined && expected !== loaded.row.version) {
      fail(
        'CONFLICT',
        `The case has changed since you read it (version ${loaded.row.version}, you sent ${expected}): reload and retry`,
        ['input', 'expectedVersion'],
      );
    }
    return { escalation: toEscalation(await work(loaded)) };
  }

  /** One action in its own tenant transaction. */
  act(
    ctx: UnitOfWork['ctx'],
    input: { escalationId: string; expectedVersion?: number | null },
    work: (uow: UnitOfWork, loaded: LoadedCase) => Promise<EscalationRow>,
  ): Promise<{ escalation: Escalation }> {
    return this.db.transaction(ctx, (uow) => this.run(uow, input, (loaded) => work(uow, loaded)));
  }
}
