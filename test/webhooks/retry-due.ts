import type { DataSource } from 'typeorm';
import { waitFor } from '../deadlines/support';

/**
 * Waits (bounded) until a delivery's next attempt is due by PostgreSQL's clock, the one delivery claims by, or it
 * will have none (delivered or dead): a spec waits out the backoff itself, not a guess of it.
 */
export function retryDue(owner: DataSource, deliveryId: string, timeoutMs = 10_000): Promise<true> {
  return waitFor(
    'the next attempt to fall due',
    async () => {
      const [row]: { due: boolean }[] = await owner.query(
        `select status not in ('PENDING', 'FAILED') or next_attempt_at <= now() as due
           from webhook_deliveries where id = $1`,
        [deliveryId],
      );
      return row.due ? (true as const) : null;
    },
    timeoutMs,
  );
}
