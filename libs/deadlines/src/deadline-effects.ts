import type { EntityManager } from 'typeorm';

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
  abstract apply(em: EntityManager, deadline: FiredDeadline, firedAt: Date): Promise<void>;
}
