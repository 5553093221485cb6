import { toGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';

describe('tenant isolation through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists only the relevant agencies of the viewer’s partnership', async () => {
    const token = await t.login('admin.portsmouth@demo.hips.test');
    const res = await t.gql(
      `{ agencies(first: 100) { totalCount edges { node { name partnerships { code } } } } }`,
      {},
      { token },
    );
    const names: string[] = res.data.agencies.edges.map((e: any) => e.node.name);
    expect(names).toContain('Portsmouth City Council Children’s Social Care');
    expect(names).toContain('Hampshire and Isle of Wight Constabulary');
    expect(names).not.toContain('Southampton City Council Children’s Social Care');
    expect(res.data.agencies.totalCount).toBe(names.length);
    const police = res.data.agencies.edges.find((e: any) => e.node.name.includes('Constabulary'));
    expect(police.node.partnerships.map((p: any) => p.code)).toEqual([
      'HAMPSHIRE',
      'ISLE_OF_WIGHT',
      'PORTSMOUTH',
      'SOUTHAMPTON',
    ]);
  });

  it('answers another partnership’s ids exactly like missing ones', async () => {
    const token = await t.login('admin.portsmouth@demo.hips.test');
    const [agency]: { id: string }[] = await t.owner.query(
      `select id from agencies where name = 'Southampton City Council Children’s Social Care'`,
    );
    const [person]: { id: string }[] = await t.owner.query(
      `select id from people where email = 'practitioner.csc.southampton@demo.hips.test'`,
    );
    const query = `query($id: ID!) { node(id: $id) { id } }`;
    for (const id of [
      toGlobalId('Agency', agency.id),
      toGlobalId('Person', person.id),
      toGlobalId('Agency', '00000000-0000-4000-8000-000000000000'),
      'not-a-global-id',
    ]) {
      const res = await t.gql(query, { id }, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toBeNull();
    }
    const unit = await t.gql(
      `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } userErrors { code field } } }`,
      { input: { agencyId: toGlobalId('Agency', agency.id), name: 'Intruders' } },
      { token },
    );
    expect(unit.data.createOrgUnit).toEqual({
      orgUnit: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'agencyId'] }],
    });
  });
});
