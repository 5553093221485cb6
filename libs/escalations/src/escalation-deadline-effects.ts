import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '@hips/audit';
import { DeadlineEffects, FiredDeadline } from '@hips/deadlines';
import { EscalationsService } from './escalations.service';

/** Binds the deadline runner to the case: reminders, breach marking and the policy's breach action. */
@Injectable()
export class EscalationDeadlineEffects extends DeadlineEffects {
  constructor(private readonly escalations: EscalationsService) {
    super();
  }

  apply(em: EntityManager, deadlines: FiredDeadline[], firedAt: Date): Promise<AuditEntry[]> {
    return this.escalations.applyDeadlines(em, deadlines, firedAt);
  }

  audit(em: EntityManager, partnershipId: string, batchId: string, entries: AuditEntry[]): Promise<void> {
    return this.escalations.recordDeadlineAudit(em, partnershipId, batchId, entries);
  }
}
