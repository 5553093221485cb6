/** Relay global ids: base64url of "Type:uuid". Malformed ids decode to null and are answered like missing ones. */
export type NodeType =
  | 'Partnership'
  | 'Agency'
  | 'OrgUnit'
  | 'Person'
  | 'ApiKey'
  | 'EscalationPolicy'
  | 'InternalLadder'
  | 'CalendarVersion'
  | 'Escalation'
  | 'EscalationEvent'
  | 'Absence'
  | 'RoleGrant'
  | 'WebhookEndpoint'
  | 'WebhookDelivery';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return null;
  const type = decoded.slice(0, at) as NodeType;
  const id = decoded.slice(at + 1);
  return UUID.test(id) ? { type, id } : null;
}

/** The uuid behind a global id of the expected type, or null (wrong type, malformed). */
export function idOf(globalId: string | null | undefined, type: NodeType): string | null {
  if (!globalId) return null;
  const decoded = fromGlobalId(globalId);
  return decoded && decoded.type === type ? decoded.id : null;
}
