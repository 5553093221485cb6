/** Whether a failed statement broke a unique constraint (PostgreSQL 23505): a row that already exists. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
