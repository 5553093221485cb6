import { ApiError } from '@hips/common';

/**
 * Expected failures of analytics requests: each an ApiError (docs/architecture.md "Errors") whose code GraphQL
 * reports and whose HTTP status the export answers with.
 */
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

const HTTP_STATUS_OF: Record<AnalyticsErrorCode, number> = {
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  ANALYTICS_TABLE_TOO_LARGE: 400,
  ANALYTICS_TIME_BUDGET_EXCEEDED: 503,
  ANALYTICS_BUSY: 503,
};

export function analyticsError(code: AnalyticsErrorCode, message: string): ApiError {
  return new ApiError(code, message, HTTP_STATUS_OF[code]);
}

export function timeBudgetExceeded(budgetMs: number): ApiError {
  return analyticsError(
    'ANALYTICS_TIME_BUDGET_EXCEEDED',
    `the answer took longer than its time budget of ${budgetMs} ms and was stopped: use a longer interval, a shorter range or fewer dimensions`,
  );
}
