import { allowedActions, checkTransition, nextState, type CaseState } from '@hips/core';

const open = (stageNumber: number, patch: Partial<CaseState> = {}): CaseState => ({
  status: 'OPEN',
  stageNumber,
  stageStatus: 'AWAITING_RESPONSE',
  lastStage: 4,
  extended: false,
  ...patch,
});

describe('escalation state machine', () => {
  it('allows everything an open stage may do', () => {
    expect(allowedActions(open(1))).toEqual([
      'RESPOND',
      'ESCALATE',
      'SKIP',
      'EXTEND',
      'RESOLVE',
      'WITHDRAW',
      'ADD_NOTE',
    ]);
    expect(allowedActions(open(3, { stageStatus: 'RESPONDED', extended: true }))).toEqual([
      'ESCALATE',
      'RESOLVE',
      'WITHDRAW',
      'ADD_NOTE',
    ]);
    expect(allowedActions(open(4))).toEqual([
      'RESPOND',
      'EXTEND',
      'RESOLVE',
      'WITHDRAW',
      'PARTNERSHIP_DECISION',
      'ADD_NOTE',
    ]);
  });

  it('closed cases allow only reopening (resolved) and notes', () => {
    const closed = (status: CaseState['status']) => ({ ...open(2), status, stageStatus: 'CLOSED' as const });
    expect(allowedActions(closed('RESOLVED'))).toEqual(['REOPEN', 'ADD_NOTE']);
    expect(allowedActions(closed('WITHDRAWN'))).toEqual(['ADD_NOTE']);
    expect(allowedActions(closed('CLOSED_BY_PARTNERSHIP'))).toEqual(['ADD_NOTE']);
    expect(allowedActions({ ...closed('REDIRECTED'), stageNumber: null })).toEqual([]);
  });

  it('says what is allowed when refusing', () => {
    const verdict = checkTransition(open(2, { stageStatus: 'RESPONDED' }), 'RESPOND');
    expect(verdict).toEqual({
      ok: false,
      message:
        'RESPOND is not allowed: the case is OPEN at stage 2 (responded). Allowed now: ESCALATE, SKIP, EXTEND, RESOLVE, WITHDRAW, ADD_NOTE',
    });
    const resolved = { ...open(1), status: 'RESOLVED' as const, stageStatus: 'CLOSED' as const };
    expect(checkTransition(resolved, 'ESCALATE')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Allowed now: REOPEN, ADD_NOTE'),
    });
  });

  it('checks escalation and skip targets', () => {
    expect(checkTransition(open(1), 'ESCALATE', 2)).toEqual({ ok: true });
    expect(checkTransition(open(1), 'ESCALATE', 3).ok).toBe(false);
    expect(checkTransition(open(1), 'SKIP', 3)).toEqual({ ok: true });
    expect(checkTransition(open(1), 'SKIP', 2).ok).toBe(false);
    expect(checkTransition(open(1), 'SKIP', 5).ok).toBe(false);
    expect(checkTransition(open(2), 'ESCALATE', 1).ok).toBe(false);
    expect(checkTransition(open(3), 'SKIP', 4).ok).toBe(false);
    expect(checkTransition(open(4), 'ESCALATE', 5).ok).toBe(false);
    expect(checkTransition(open(0), 'ESCALATE', 1)).toEqual({ ok: true });
  });

  it('extends once per stage, and escalation resets it', () => {
    const extended = nextState(open(1), 'EXTEND');
    expect(checkTransition(extended, 'EXTEND').ok).toBe(false);
    expect(nextState(extended, 'ESCALATE', 2)).toMatchObject({ stageNumber: 2, extended: false });
  });

  it('walks a case to each ending', () => {
    const decided = nextState(nextState(open(1), 'SKIP', 4), 'PARTNERSHIP_DECISION');
    expect(decided.status).toBe('CLOSED_BY_PARTNERSHIP');
    const resolved = nextState(nextState(open(1), 'RESPOND'), 'RESOLVE');
    expect(resolved.status).toBe('RESOLVED');
    expect(nextState(resolved, 'REOPEN')).toMatchObject({ status: 'OPEN', stageNumber: 1 });
    expect(nextState(open(2), 'WITHDRAW').status).toBe('WITHDRAWN');
    expect(() => nextState(resolved, 'RESOLVE')).toThrow(/not allowed/);
    expect(checkTransition(open(3), 'PARTNERSHIP_DECISION').ok).toBe(false);
  });
});
