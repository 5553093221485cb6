import type { Logger } from 'pino';
import { TenantDb } from '@hips/database';
import type { Mailer } from '../mailer';
import {
  claimDueNotifications,
  markNotificationFailed,
  markNotificationSent,
} from '../persistence/notifications.repository';

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
      const due = await claimDueNotifications(em, partnershipId, options.batchSize);
      for (const n of due) {
        try {
          await mailer.send({ id: n.id, to: n.recipient_email, subject: n.subject, text: n.body });
          await markNotificationSent(em, n.id);
          sent += 1;
        } catch (error) {
          failed += 1;
          const attempts = n.attempts + 1;
          const dead = attempts >= options.maxAttempts;
          const message = error instanceof Error ? error.message : String(error);
          await markNotificationFailed(em, n.id, {
            attempts,
            error: message.slice(0, 500),
            dead,
            retryInMs: options.backoffMs * 2 ** (attempts - 1),
          });
          logger.warn({ notificationId: n.id, attempts, dead }, 'notification not sent');
        }
      }
    });
  }
  return { sent, failed };
}
