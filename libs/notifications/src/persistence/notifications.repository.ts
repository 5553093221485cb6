import type { EntityManager } from 'typeorm';
import type { NotificationToQueue } from '../notifications.service';

/*
 * The notifications outbox (docs/architecture.md "Outbox"). These take the caller's EntityManager, not a unit of
 * work: the case code queues inside its own transaction, and the worker runs per partnership without a request.
 */

/** Inserts the notifications; a repeated dedupe key is ignored. How many were new. */
export async function insertNotifications(
  em: EntityManager,
  partnershipId: string,
  notifications: NotificationToQueue[],
): Promise<number> {
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

/** The partnership's due pending notifications, oldest due first, locked (others' claims skipped). */
export function claimDueNotifications(
  em: EntityManager,
  partnershipId: string,
  batchSize: number,
): Promise<{ id: string; recipient_email: string; subject: string; body: string; attempts: number }[]> {
  return em.query(
    `select id, recipient_email, subject, body, attempts from notifications
     where partnership_id = $1 and status = 'PENDING' and next_attempt_at <= now()
     order by next_attempt_at limit $2 for update skip locked`,
    [partnershipId, batchSize],
  );
}

export async function markNotificationSent(em: EntityManager, id: string): Promise<void> {
  await em.query(
    `update notifications set status = 'SENT', sent_at = now(), attempts = attempts + 1 where id = $1`,
    [id],
  );
}

/** Records a failed attempt: retried after `retryInMs`, or DEAD (kept for the dead-letter view). */
export async function markNotificationFailed(
  em: EntityManager,
  id: string,
  outcome: { attempts: number; error: string; dead: boolean; retryInMs: number },
): Promise<void> {
  await em.query(
    `update notifications set attempts = $2, last_error = $3, status = $4,
       next_attempt_at = now() + ($5 || ' milliseconds')::interval where id = $1`,
    [id, outcome.attempts, outcome.error, outcome.dead ? 'DEAD' : 'PENDING', String(outcome.retryInMs)],
  );
}
