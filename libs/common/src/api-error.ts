/**
 * The one way a query, field or non-GraphQL endpoint refuses (docs/architecture.md "Errors"): an expected failure
 * with a stable `code`, shown to the caller as `extensions.code` (GraphQL) or the HTTP status beside it (REST).
 * Mutations refuse through `userErrors` instead (`fail` / `UserErrorsException`); anything else is a bug, logged
 * and masked.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status where the answer is not GraphQL (exports, health, dashboards). */
    readonly httpStatus = 400,
  ) {
    super(message);
  }

  /**
   * What graphql-js copies onto the GraphQL error wrapping this one, on every transport (HTTP and subscriptions):
   * only the code. The API's error formatting (apps/api/src/format-error.ts) lets these codes through.
   */
  get extensions(): { code: string } {
    return { code: this.code };
  }
}
