import type { AuditEntry } from '@hips/audit';
import type { UnitOfWork } from '@hips/database';

/** A deadline row the worker has just fired (claimed with the guarded update). */
export interface FiredDeadline {
  id: string;
  partnershipId: string;
  escalationId: string;
  stageId: string;
  kind: 'DUE' | 'REMINDER_HALF' | 'REMINDER_DAY_BEFORE';
  dueAt: Date;
  version: number;
}

/**
 * What firing a deadline does (breach marking, reminders, notifications, auto-escalation). Implemented by the
 * escalation case module; runs inside the firing transaction, so the effect commits with the fired_at mark.
 */
export abstract class DeadlineEffects {
  /**
   * Applies the effects of a batch of deadlines of one partnership fired together (claimed in this unit of work,
   * which runs as the system for that batch, at `firedAt`) and returns what the audit log should say about them.
   */
  abstract apply(uow: UnitOfWork, deadlines: FiredDeadline[], firedAt: Date): Promise<AuditEntry[]>;

  /**
   * Appends the audit entries of one firing transaction in one statement, last: the audit chain's
   * per-partnership lock is then held only from this statement to the commit.
   */
  abstract audit(uow: UnitOfWork, entries: AuditEntry[]): Promise<void>;
}
