import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AuditLogRepository } from '@hips/audit';
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
  const auditLog = new AuditLogRepository();
  const partnerships = await db.partnerships();
  const results = [];
  for (const p of partnerships) {
    const brokenAt = await db.run({ partnershipId: p.id }, (em) => auditLog.firstBrokenLink(em, p.id));
    if (brokenAt) logger.error({ partnership: p.code, brokenAt }, 'audit chain broken');
    results.push({ partnership: p.code, brokenAt });
  }
  logger.info({ results }, 'audit chains verified');
  return results;
}
