/** Expected failures of analytics requests, mapped once to GraphQL errors (resolver) and HTTP statuses (export). */
export const AnalyticsErrorCode = {
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The table asked for has more cells than one answer may (estimated before any query, or as read). */
  ANALYTICS_TABLE_TOO_LARGE: 'ANALYTICS_TABLE_TOO_LARGE',
  /** The answer was not ready within ANALYTICS_TIME_BUDGET_MS; its query and its computation were stopped. */
  ANALYTICS_TIME_BUDGET_EXCEEDED: 'ANALYTICS_TIME_BUDGET_EXCEEDED',
  /** Every disclosure thread is busy and the queue of waiting answers is full. */
  ANALYTICS_BUSY: 'ANALYTICS_BUSY',
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

export const HTTP_STATUS_OF: Record<AnalyticsErrorCode, number> = {
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  ANALYTICS_TABLE_TOO_LARGE: 400,
  ANALYTICS_TIME_BUDGET_EXCEEDED: 503,
  ANALYTICS_BUSY: 503,
};

export function timeBudgetExceeded(budgetMs: number): AnalyticsException {
  return new AnalyticsException(
    'ANALYTICS_TIME_BUDGET_EXCEEDED',
    `the answer took longer than its time budget of ${budgetMs} ms and was stopped: use a longer interval, a shorter range or fewer dimensions`,
  );
}
