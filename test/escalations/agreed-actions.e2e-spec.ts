import { idOf } from '@hips/common';
import { act, email, RAISE, raiseInput, RESOLVE, useCaseHarness } from './support';

const MARK = act('markAgreedActionDone', 'MarkAgreedActionDoneInput');
const EVENTS = `query($id: ID!) { escalation(id: $id) { events(first: 50) { edges { node { kind stage detail
  actor { displayName } } } } } }`;

describe('agreed actions of a resolved case', () => {
  const h = useCaseHarness();

  it('marks an agreed action done once, by the agencies of the case, with a chronology event', async () => {
    const pp = email('practitioner', 'police');
    const raised = await h.t.gql(RAISE, { input: raiseInput(h.csc) }, await h.as(pp));
    const c = raised.data.raiseEscalation.escalation;

    // Not resolved yet: there are no agreed actions to mark.
    const open = await h.run(MARK, pp, { escalationId: c.id, index: 0 });
    expect(open.userErrors[0].code).toBe('INVALID_STATE');

    const resolved = await h.run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'PARTIAL_ACTION_AGREED',
      statement: 'CSC will assess; police will share the strategy notes',
      agreedActions: [
        { description: 'Single assessment', ownerAgencyId: h.csc, dueDate: '2030-01-31' },
        { description: 'Share strategy discussion notes', ownerAgencyId: h.police },
      ],
    });
    expect(resolved.userErrors).toEqual([]);
    const version: number = resolved.escalation.version;

    const stale = await h.run(MARK, email('practitioner', 'csc'), {
      escalationId: c.id,
      index: 0,
      expectedVersion: version - 1,
    });
    expect(stale.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'expectedVersion'] });

    const outOfRange = await h.run(MARK, email('practitioner', 'csc'), { escalationId: c.id, index: 2 });
    expect(outOfRange.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'index'] });
    const negative = await h.run(MARK, email('practitioner', 'csc'), { escalationId: c.id, index: -1 });
    expect(negative.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'index'] });

    // An agency that is neither the action's owner nor a party does not see the case; oversight sees it but
    // is not a practitioner of those agencies.
    const outsider = await h.run(MARK, email('practitioner', 'school'), { escalationId: c.id, index: 0 });
    expect(outsider.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'escalationId'] });
    const scrutineer = await h.run(MARK, 'scrutineer.portsmouth@demo.hips.test', {
      escalationId: c.id,
      index: 0,
    });
    expect(scrutineer.userErrors[0].code).toBe('FORBIDDEN');

    const marked = await h.run(MARK, email('practitioner', 'csc'), {
      escalationId: c.id,
      index: 0,
      expectedVersion: version,
    });
    expect(marked.userErrors).toEqual([]);
    expect(marked.escalation).toMatchObject({
      status: 'RESOLVED',
      version: version + 1,
      outcome: {
        agreedActions: [
          {
            description: 'Single assessment',
            ownerAgency: { name: expect.stringMatching(/Children/) },
            done: true,
          },
          { description: 'Share strategy discussion notes', done: false },
        ],
      },
    });

    const twice = await h.run(MARK, email('line-manager', 'police'), { escalationId: c.id, index: 0 });
    expect(twice.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', field: ['input', 'index'] });

    const events = await h.t.gql(EVENTS, { id: c.id }, await h.as(pp));
    const done = events.data.escalation.events.edges
      .map((e: any) => e.node)
      .filter((e: any) => e.kind === 'AGREED_ACTION_DONE');
    expect(done).toEqual([
      {
        kind: 'AGREED_ACTION_DONE',
        stage: 1,
        detail: 'agreed action 0: Single assessment',
        actor: { displayName: expect.any(String) },
      },
    ]);
    const audit: { action: string }[] = await h.t.owner.query(
      `select action from audit_log where action = 'ESCALATION_AGREED_ACTION_DONE' and entity_id = $1`,
      [idOf(c.id, 'Escalation')],
    );
    expect(audit).toHaveLength(1);

    // The police (raising side, the second action's owner) mark theirs.
    const second = await h.run(MARK, pp, { escalationId: c.id, index: 1 });
    expect(second.userErrors).toEqual([]);
    expect(second.escalation.outcome.agreedActions.map((a: any) => a.done)).toEqual([true, true]);
  });
});
