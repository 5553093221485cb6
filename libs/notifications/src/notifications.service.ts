import type { EntityManager } from 'typeorm';

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
  let written = 0;
  for (const n of notifications) {
    const rows: unknown[] = await em.query(
      `insert into notifications (partnership_id, dedupe_key, escalation_id, kind, recipient_person_id,
         recipient_email, subject, body)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (partnership_id, dedupe_key) do nothing returning id`,
      [
        partnershipId,
        n.dedupeKey,
        n.escalationId,
        n.kind,
        n.recipientPersonId,
        n.recipientEmail,
        n.subject,
        n.body,
      ],
    );
    written += rows.length;
  }
  return written;
}
