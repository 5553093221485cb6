/**
 * The declared maximum length of every unpaginated list of objects in the schema (`Type.field`), which the cost
 * analysis multiplies by (docs/security/request-limits.md). Paginated fields take `first` instead, and lists of
 * plain values (objects with nothing to resolve, such as Partnership, EscalationNote or UserError) cost only the
 * field that returns them, so neither needs an entry. The API refuses to start when a list of objects has no bound here (query-cost.ts).
 *
 * Each bound is the most the list can hold in a partnership's real data, generously: procedure or schema
 * limits where there are some (stages 0-4), otherwise the size of a large agency's structure.
 */
export const LIST_BOUNDS: Readonly<Record<string, number>> = {
  // A connection's edges: the page size (`first`) is counted on the field that returns the connection.
  'AgencyConnection.edges': 1,
  'EscalationConnection.edges': 1,
  'EscalationEventConnection.edges': 1,
  'AccessChangeConnection.edges': 1,

  // Structures: units of an agency, units under a unit, posts of a unit or a person, deputies of a post.
  'Agency.orgUnits': 100,
  'OrgUnit.children': 50,
  'OrgUnit.posts': 50,
  'Person.posts': 20,
  'Post.deputies': 10,
  'Person.absences': 50,
  'StageOwnerRoute.steps': 20,
  'Query.structuralProblems': 200,

  // Cases: stages 0-4, agreed actions of one outcome.
  'Escalation.stages': 5,
  'EscalationOutcome.agreedActions': 20,
  // The reflective step's attendees (MAX_REFLECTIVE_ATTENDEES in libs/escalations).
  'ReflectiveMeeting.attendees': 30,

  // Administration: an agency's or partnership's endpoints, a policy's versions.
  'Query.webhookEndpoints': 50,
  'Query.escalationPolicyVersions': 100,
  'Query.internalLadderVersions': 100,
  // Role grants in one status: the newest 200 (role-grants.service.ts).
  'Query.roleGrants': 200,
};
