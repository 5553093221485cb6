/** Expected failures of analytics requests, mapped once to GraphQL errors (resolver) and HTTP statuses (export). */
export const AnalyticsErrorCode = {
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
} as const;
export type AnalyticsErrorCode = (typeof AnalyticsErrorCode)[keyof typeof AnalyticsErrorCode];

export class AnalyticsException extends Error {
  constructor(
    readonly code: AnalyticsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const HTTP_STATUS_OF: Record<AnalyticsErrorCode, number> = { FORBIDDEN: 403, BAD_USER_INPUT: 400 };
