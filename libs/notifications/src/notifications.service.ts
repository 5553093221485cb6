import type { EntityManager } from 'typeorm';
import { insertNotifications } from './persistence/notifications.repository';

export interface NotificationToQueue {
  dedupeKey: string;
  escalationId: string | null;
  kind: string;
  recipientPersonId: string | null;
  recipientEmail: string;
  subject: string;
  body: string;
}

/**
 * Writes notifications into the outbox inside the caller's transaction (so they exist exactly when the change
 * does); a repeated dedupe key is ignored, so an effect that runs twice notifies once.
 */
export async function queueNotifications(
  em: EntityManager,
  partnershipId: string,
  notifications: NotificationToQueue[],
): Promise<number> {
  if (notifications.length === 0) return 0;
  return insertNotifications(em, partnershipId, notifications);
}
