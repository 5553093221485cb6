import { defaultLadder } from '@hips/core';
import { startTestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

export const POLICY_FIELDS = `id version published effectiveFrom type partnership { code } agency { id name }
  stages { number name roleType standardWorkingDays urgentWorkingDays breachAction }`;
export const IN_FORCE = `query($agencyId: ID, $type: EscalationType) {
  escalationPolicy(agencyId: $agencyId, type: $type) { ${POLICY_FIELDS} } }`;
export const VERSIONS = `query($agencyId: ID, $type: EscalationType) {
  escalationPolicyVersions(agencyId: $agencyId, type: $type) { id version published } }`;
export const SAVE = `mutation($input: SavePolicyDraftInput!) {
  saveEscalationPolicyDraft(input: $input) { policy { ${POLICY_FIELDS} } userErrors { code field message } } }`;
export const PUBLISH = `mutation($input: PublishPolicyInput!) {
  publishEscalationPolicy(input: $input) { policy { ${POLICY_FIELDS} } userErrors { code field message } } }`;
export const PREVIEW = `query($input: PreviewDeadlinesInput!) {
  previewDeadlines(input: $input) { start workingDays dueAt explanation skippedDates } }`;

export type Stage = {
  number: number;
  name?: string | null;
  roleType: string;
  standardWorkingDays: number;
  urgentWorkingDays: number;
  breachAction?: string;
};

/** The default GENERAL ladder as StagePolicyInput, with patches per stage number. */
export function ladder(
  patches: Record<number, Partial<Stage>> = {},
  type: 'GENERAL' | 'CPC_DISSENT' = 'GENERAL',
): Stage[] {
  return defaultLadder(type, 'Professionals Meeting').map(
    ({ number, name, roleType, standardWorkingDays, urgentWorkingDays, breachAction }) => ({
      number,
      name,
      roleType,
      standardWorkingDays,
      urgentWorkingDays,
      breachAction,
      ...patches[number],
    }),
  );
}

/**
 * Agency policies are written for two agencies of the spec's own, so no demo agency gains a policy
 * (docs/testing/test-practice.md): `police` (with its AGENCY_ADMIN `agencyAdmin`) and `csc`, both Hampshire only.
 * `admin` is Hampshire's PARTNERSHIP_ADMIN.
 */
export async function startPoliciesFixture() {
  const t = await startTestApp();
  const admin = await t.login('admin.hampshire@demo.hips.test');
  const practitioner = await t.login('practitioner.police.hampshire@demo.hips.test');
  const portsmouth = await t.login('admin.portsmouth@demo.hips.test');
  const ownPolice = await createOwnAgency(t, {
    adminEmail: 'admin.hampshire@demo.hips.test',
    partnership: 'HAMPSHIRE',
    label: 'Policies police',
    type: 'POLICE',
    people: [{ key: 'admin', roleType: 'AGENCY_ADMIN' }],
  });
  const police = ownPolice.agencyId;
  const agencyAdmin = await t.login(ownPolice.emails.admin);
  const csc = (
    await createOwnAgency(t, {
      adminEmail: 'admin.hampshire@demo.hips.test',
      partnership: 'HAMPSHIRE',
      label: 'Policies children services',
      type: 'CHILDRENS_SOCIAL_CARE',
      people: [],
    })
  ).agencyId;

  const counts = async () => {
    const [row] = await t.owner.query(
      `select (select count(*) from escalation_policies)::int as policies,
              (select md5(string_agg(stages::text || coalesce(published_at::text, ''), ',' order by id))
                 from escalation_policies) as content,
              (select count(*) from audit_log)::int as audit`,
    );
    return row;
  };
  const save = (token: string, input: Record<string, unknown>) =>
    t.gql(SAVE, { input }, { token }).then((r) => r.data.saveEscalationPolicyDraft);
  const publish = (token: string, input: Record<string, unknown>) =>
    t.gql(PUBLISH, { input }, { token }).then((r) => r.data.publishEscalationPolicy);
  /** The partnership default in force, as another spec may have left it. */
  const defaultInForce = async (token: string, type = 'GENERAL') => {
    const res = await t.gql(IN_FORCE, { type }, { token });
    expect(res.errors).toBeUndefined();
    return res.data.escalationPolicy;
  };

  return {
    t,
    admin,
    agencyAdmin,
    practitioner,
    portsmouth,
    police,
    csc,
    counts,
    save,
    publish,
    defaultInForce,
  };
}

export type PoliciesFixture = Awaited<ReturnType<typeof startPoliciesFixture>>;
