import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { TenantDb } from '@hips/database';

/**
 * Verifies every partnership's audit hash chain and reports the first broken link, so tampering with the
 * append-only trail is noticed within the hour rather than at the next inspection.
 */
export async function verifyAuditChains(
  dataSource: DataSource,
  logger: Logger,
): Promise<{ partnership: string; brokenAt: string | null }[]> {
  const db = new TenantDb(dataSource);
  const partnerships = await db.partnerships();
  const results = [];
  for (const p of partnerships) {
    const brokenAt = await db.run({ partnershipId: p.id }, async (em) => {
      const rows: { broken: string | null }[] = await em.query('select audit_verify_chain($1) as broken', [
        p.id,
      ]);
      return rows[0]?.broken ?? null;
    });
    if (brokenAt) logger.error({ partnership: p.code, brokenAt }, 'audit chain broken');
    results.push({ partnership: p.code, brokenAt });
  }
  logger.info({ results }, 'audit chains verified');
  return results;
}
