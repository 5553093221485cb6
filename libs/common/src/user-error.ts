import { UserError } from './dto/user-error.model';

/** Stable codes of expected failures, returned in payloads' userErrors. */
export const UserErrorCode = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  DUPLICATE: 'DUPLICATE',
  INVALID_STATE: 'INVALID_STATE',
  CONFLICT: 'CONFLICT',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  THROTTLED: 'THROTTLED',
  PARTNERSHIP_REQUIRED: 'PARTNERSHIP_REQUIRED',
  INVALID_TOKEN: 'INVALID_TOKEN',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** A webhook URL whose host is loopback, private, link-local, metadata or otherwise internal. */
  WEBHOOK_URL_FORBIDDEN: 'WEBHOOK_URL_FORBIDDEN',
  // Separation of duties (docs/security/separation-of-duties.md)
  SELF_GRANT: 'SELF_GRANT',
  SECOND_ADMIN_REQUIRED: 'SECOND_ADMIN_REQUIRED',
  GRANT_EXPIRED: 'GRANT_EXPIRED',
  MANAGER_OUT_OF_AGENCY: 'MANAGER_OUT_OF_AGENCY',
  MANAGER_CYCLE: 'MANAGER_CYCLE',
} as const;
export type UserErrorCode = (typeof UserErrorCode)[keyof typeof UserErrorCode];

export function userError(code: UserErrorCode, message: string, field?: string[]): UserError {
  return { code, message, field: field ?? null };
}

/**
 * An expected failure thrown inside a service transaction: the transaction rolls back (nothing half-written)
 * and the resolver turns it into userErrors.
 */
export class UserErrorsException extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  }
}

export function fail(code: UserErrorCode, message: string, field?: string[]): never {
  throw new UserErrorsException([userError(code, message, field)]);
}

/** Runs a mutation's work; expected failures become `{ userErrors }` and everything else propagates. */
export async function withUserErrors<T extends object>(
  work: () => Promise<T>,
): Promise<(T & { userErrors: UserError[] }) | { userErrors: UserError[] }> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsException) return { userErrors: error.errors };
    throw error;
  }
}
