import type { Logger } from 'pino';
import { TenantDb } from '@hips/database';
import type { Mailer } from '../mailer';

export interface DeliveryOptions {
  batchSize: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { batchSize: 50, maxAttempts: 8, backoffMs: 30_000 };

/**
 * Sends due notifications of every partnership. Rows are claimed with `for update skip locked`, so several
 * workers share the work without sending a row twice; a failure is retried with exponential backoff, and after
 * maxAttempts the row is DEAD (kept, with its last error, for the dead-letter view).
 */
export async function deliverNotifications(
  db: TenantDb,
  mailer: Mailer,
  logger: Logger,
  options: DeliveryOptions = DEFAULT_DELIVERY,
): Promise<{ sent: number; failed: number }> {
  const partnerships = await db.partnerships();
  let sent = 0;
  let failed = 0;
  for (const { id: partnershipId } of partnerships) {
    await db.run({ partnershipId }, async (em) => {
      const due: { id: string; recipient_email: string; subject: string; body: string; attempts: number }[] =
        await em.query(
          `select id, recipient_email, subject, body, attempts from notifications
           where partnership_id = $1 and status = 'PENDING' and next_attempt_at <= now()
           order by next_attempt_at limit $2 for update skip locked`,
          [partnershipId, options.batchSize],
        );
      for (const n of due) {
        try {
          await mailer.send({ id: n.id, to: n.recipient_email, subject: n.subject, text: n.body });
          await em.query(
            `update notifications set status = 'SENT', sent_at = now(), attempts = attempts + 1 where id = $1`,
            [n.id],
          );
          sent += 1;
        } catch (error) {
          failed += 1;
          const attempts = n.attempts + 1;
          const dead = attempts >= options.maxAttempts;
          const message = error instanceof Error ? error.message : String(error);
          await em.query(
            `update notifications set attempts = $2, last_error = $3, status = $4,
               next_attempt_at = now() + ($5 || ' milliseconds')::interval where id = $1`,
            [
              n.id,
              attempts,
              message.slice(0, 500),
              dead ? 'DEAD' : 'PENDING',
              String(options.backoffMs * 2 ** (attempts - 1)),
            ],
          );
          logger.warn({ notificationId: n.id, attempts, dead }, 'notification not sent');
        }
      }
    });
  }
  return { sent, failed };
}
