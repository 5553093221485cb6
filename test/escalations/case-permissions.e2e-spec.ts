import { idOf } from '@hips/common';
import { agencyId, email, ESCALATE, RAISE, raiseInput, RESOLVE, RESPOND, useCaseHarness } from './support';

/** Who may act on a case, concurrent actions, and agency systems acting with API keys. */
describe('who may act on a case', () => {
  const h = useCaseHarness();

  it('enforces who may act, and skipping needs a manager', async () => {
    const { escalation: c } = await h.raise(email('practitioner', 'police'));
    const wrongSide = await h.run(RESPOND, email('practitioner', 'police'), {
      escalationId: c.id,
      response: 'x',
    });
    expect(wrongSide.userErrors[0].code).toBe('FORBIDDEN');
    const responderEscalates = await h.run(ESCALATE, email('practitioner', 'csc'), {
      escalationId: c.id,
      rationale: 'x',
    });
    expect(responderEscalates.userErrors[0].code).toBe('FORBIDDEN');
    const skipByOwner = await h.run(ESCALATE, email('practitioner', 'police'), {
      escalationId: c.id,
      rationale: 'x',
      toStage: 3,
    });
    expect(skipByOwner.userErrors[0].code).toBe('FORBIDDEN');
    const skip = await h.run(ESCALATE, email('line-manager', 'police'), {
      escalationId: c.id,
      rationale: 'Serious drift',
      toStage: 3,
    });
    expect(skip.userErrors).toEqual([]);
    expect(skip.escalation.stages.map((s: any) => s.number)).toEqual([1, 3]);
    const backwards = await h.run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'x',
      toStage: 2,
    });
    expect(backwards.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', field: ['input', 'toStage'] });
    // Another agency of the partnership does not see the case at all.
    const outsider = await h.run(RESPOND, email('practitioner', 'school'), {
      escalationId: c.id,
      response: 'x',
    });
    expect(outsider.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'escalationId'] });
    const analyst = await h.t.gql(
      RAISE,
      { input: raiseInput(h.csc) },
      await h.as('analyst.portsmouth@demo.hips.test'),
    );
    expect(analyst.data.raiseEscalation.userErrors[0].code).toBe('FORBIDDEN');
  });

  it('lets exactly one of two concurrent escalations of the same stage win', async () => {
    const { escalation: c } = await h.raise(email('practitioner', 'police'));
    const input = { escalationId: c.id, rationale: 'Both at once', expectedVersion: 1 };
    const [a, b] = await Promise.all([
      h.run(ESCALATE, email('practitioner', 'police'), input),
      h.run(ESCALATE, email('line-manager', 'police'), input),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'CONFLICT')).toHaveLength(1);
    const stages: unknown[] = await h.t.owner.query(
      'select 1 from escalation_stages where escalation_id = $1',
      [idOf(c.id, 'Escalation')],
    );
    expect(stages).toHaveLength(2);
  });

  it('agency systems raise and respond with API keys; the reflective step resolves a case; events page', async () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey keyId userErrors { code } } }`;
    const REVOKE = `mutation($id: ID!) { revokeApiKey(keyId: $id) { userErrors { code } } }`;
    const admin = await h.as('admin.portsmouth@demo.hips.test');
    const hospital = await agencyId(h.t, 'Portsmouth Hospitals%');
    // The keys must act for the demo agencies (their routing names the owners); revoked in `finally`, so no live
    // key is left on a demo agency (docs/testing/test-practice.md).
    const keys: string[] = [];
    const create = async (agency: string, name: string) => {
      const created = (await h.t.gql(CREATE, { input: { agencyId: agency, name } }, admin)).data.createApiKey;
      expect(created.userErrors).toEqual([]);
      keys.push(created.keyId);
      return created.apiKey as string;
    };
    try {
      const hospitalKey = await create(hospital, 'Cases EPR');
      const cscKey = await create(h.csc, 'Cases CSC system');
      const raised = await h.t.gql(RAISE, { input: raiseInput(h.csc) }, { apiKey: hospitalKey });
      const c = raised.data.raiseEscalation.escalation;
      expect(raised.data.raiseEscalation.userErrors).toEqual([]);
      expect(c.raisedBy).toBeNull();
      expect(c.currentStage.raiserOwner.displayName).toMatch(/^Practitioner, Portsmouth Hospitals/);
      const child = await h.t.gql(
        `query($id: ID!) { escalation(id: $id) { child { initials } } }`,
        { id: c.id },
        { apiKey: hospitalKey },
      );
      expect(child.data.escalation).toEqual({ child: null });
      const answered = await h.t.gql(
        RESPOND,
        { input: { escalationId: c.id, response: 'From our system' } },
        { apiKey: cscKey },
      );
      expect(answered.data.respondToEscalation.userErrors).toEqual([]);

      const pp = email('practitioner', 'police');
      const { escalation: r } = await h.raise(pp, { startWithReflectiveStep: true });
      const resolved = await h.run(RESOLVE, pp, {
        escalationId: r.id,
        outcome: 'RESOLVED_BY_REFLECTIVE_STEP',
        statement: 'Rethink worked',
      });
      expect(resolved.userErrors).toEqual([]);
      expect(resolved.escalation.outcome.code).toBe('RESOLVED_BY_REFLECTIVE_STEP');

      const EVENTS = `query($id: ID!, $after: String) { escalation(id: $id) { events(first: 1, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { kind stage actor { displayName } } } } } }`;
      const kinds: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await h.t.gql(EVENTS, { id: r.id, after }, await h.as(pp));
        kinds.push(...page.data.escalation.events.edges.map((e: any) => e.node.kind));
        after = page.data.escalation.events.pageInfo.hasNextPage
          ? page.data.escalation.events.pageInfo.endCursor
          : null;
      } while (after);
      expect(kinds).toEqual(['RAISED', 'RESOLVED']);
    } finally {
      for (const id of keys) {
        expect((await h.t.gql(REVOKE, { id }, admin)).data.revokeApiKey.userErrors).toEqual([]);
      }
    }
  });
});
