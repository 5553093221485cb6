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
  if (notifications.length === 0) return 0;
  const rows: unknown[] = await em.query(
    `insert into notifications (partnership_id, dedupe_key, escalation_id, kind, recipient_person_id,
       recipient_email, subject, body)
     select $1, n.dedupe_key, n.escalation_id, n.kind, n.recipient_person_id, n.recipient_email, n.subject, n.body
       from jsonb_to_recordset($2::jsonb) as n(dedupe_key text, escalation_id uuid, kind text,
         recipient_person_id uuid, recipient_email text, subject text, body text)
     on conflict (partnership_id, dedupe_key) do nothing returning id`,
    [
      partnershipId,
      JSON.stringify(
        notifications.map((n) => ({
          dedupe_key: n.dedupeKey,
          escalation_id: n.escalationId,
          kind: n.kind,
          recipient_person_id: n.recipientPersonId,
          recipient_email: n.recipientEmail,
          subject: n.subject,
          body: n.body,
        })),
      ),
    ],
  );
  return rows.length;
}
