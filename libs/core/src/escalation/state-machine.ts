/**
 * The escalation case state machine (docs/procedure.md §5), pure: which actions a case allows in its current state.
 * Who may take an action (permissions) and input checks live in the service; this only answers "is this
 * transition legal now, and if not, what is".
 */

export const CASE_STATUSES = [
  'OPEN',
  'RESOLVED',
  'CLOSED_BY_PARTNERSHIP',
  'WITHDRAWN',
  'REDIRECTED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STAGE_STATUSES = ['AWAITING_RESPONSE', 'RESPONDED', 'CLOSED'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export const CASE_ACTIONS = [
  'RESPOND',
  'ESCALATE',
  'SKIP',
  'EXTEND',
  'RESOLVE',
  'WITHDRAW',
  'REOPEN',
  'PARTNERSHIP_DECISION',
  'ADD_NOTE',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface CaseState {
  readonly status: CaseStatus;
  /** The current (open, or last for a closed case) stage number; null for an intake without a case. */
  readonly stageNumber: number | null;
  readonly stageStatus: StageStatus | null;
  /** The highest stage number of the case's ladder (4 for the default ladders). */
  readonly lastStage: number;
  /** Whether the current stage has already been extended (once per stage). */
  readonly extended: boolean;
}

export type Verdict = { ok: true } | { ok: false; message: string };

/** Every action allowed in this state, in a stable order. */
export function allowedActions(state: CaseState): CaseAction[] {
  const allowed: CaseAction[] = [];
  if (state.status === 'OPEN' && state.stageNumber !== null) {
    const n = state.stageNumber;
    if (state.stageStatus === 'AWAITING_RESPONSE') allowed.push('RESPOND');
    if (n < state.lastStage) allowed.push('ESCALATE');
    if (n + 1 < state.lastStage) allowed.push('SKIP');
    if (!state.extended) allowed.push('EXTEND');
    allowed.push('RESOLVE', 'WITHDRAW');
    if (n === state.lastStage) allowed.push('PARTNERSHIP_DECISION');
  }
  if (state.status === 'RESOLVED') allowed.push('REOPEN');
  if (state.status !== 'REDIRECTED') allowed.push('ADD_NOTE');
  return allowed;
}

function describe(state: CaseState): string {
  if (state.status !== 'OPEN' || state.stageNumber === null) return `the case is ${state.status}`;
  const stage = `stage ${state.stageNumber}`;
  const detail = state.stageStatus === 'RESPONDED' ? 'responded' : 'awaiting a response';
  return `the case is OPEN at ${stage} (${detail}${state.extended ? ', already extended' : ''})`;
}

/**
 * Whether `action` is legal now. For ESCALATE/SKIP pass the target stage: ESCALATE goes to n + 1, SKIP to
 * any m > n + 1 up to the last stage.
 */
export function checkTransition(state: CaseState, action: CaseAction, toStage?: number): Verdict {
  const allowed = allowedActions(state);
  const refuse = (why?: string): Verdict => ({
    ok: false,
    message: `${action} is not allowed: ${why ?? describe(state)}. Allowed now: ${
      allowed.length > 0 ? allowed.join(', ') : 'nothing'
    }`,
  });
  if (!allowed.includes(action)) return refuse();
  if ((action === 'ESCALATE' || action === 'SKIP') && toStage !== undefined && state.stageNumber !== null) {
    const n = state.stageNumber;
    if (toStage <= n) return refuse(`stage ${toStage} is not after the current stage ${n}`);
    if (toStage > state.lastStage) return refuse(`the last stage is ${state.lastStage}`);
    if (action === 'ESCALATE' && toStage !== n + 1) return refuse(`escalating goes to stage ${n + 1}`);
    if (action === 'SKIP' && toStage === n + 1)
      return refuse(`stage ${toStage} is the next stage, not a skip`);
  }
  return { ok: true };
}

/** The state after a legal transition (for tests and for describing the result). */
export function nextState(state: CaseState, action: CaseAction, toStage?: number): CaseState {
  const verdict = checkTransition(state, action, toStage);
  if (!verdict.ok) throw new Error(verdict.message);
  switch (action) {
    case 'RESPOND':
      return { ...state, stageStatus: 'RESPONDED' };
    case 'ESCALATE':
    case 'SKIP':
      return {
        ...state,
        stageNumber: toStage ?? (state.stageNumber ?? 0) + 1,
        stageStatus: 'AWAITING_RESPONSE',
        extended: false,
      };
    case 'EXTEND':
      return { ...state, extended: true };
    case 'RESOLVE':
      return { ...state, status: 'RESOLVED', stageStatus: 'CLOSED' };
    case 'WITHDRAW':
      return { ...state, status: 'WITHDRAWN', stageStatus: 'CLOSED' };
    case 'PARTNERSHIP_DECISION':
      return { ...state, status: 'CLOSED_BY_PARTNERSHIP', stageStatus: 'CLOSED' };
    case 'REOPEN':
      return { ...state, status: 'OPEN', stageStatus: 'AWAITING_RESPONSE' };
    case 'ADD_NOTE':
      return state;
  }
}
