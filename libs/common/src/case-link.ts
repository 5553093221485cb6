import { toGlobalId } from './global-id';

/**
 * The console's page of a case, as notifications and webhook payloads link to it (docs/api/webhooks.md): under
 * PUBLIC_URL, by the case's global id (the API's `Escalation.id`), which is what the console routes by.
 */
export function caseLink(publicUrl: string, escalationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/escalations/${toGlobalId('Escalation', escalationId)}`;
}
